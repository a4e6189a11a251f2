-- The PostgreSQL schema of version 5 (tgpromise 0.1 before migration 6),
-- as pg_dump --schema-only printed it, for tests/store-pg-migrate.t.

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

CREATE TABLE public.attempts (
    promise_id bigint NOT NULL,
    attempt integer NOT NULL,
    worker text,
    started_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone,
    outcome text,
    error text
);

CREATE TABLE public.deps (
    promise_id bigint NOT NULL,
    after_id bigint NOT NULL
);

CREATE TABLE public.notices (
    id bigint NOT NULL,
    promise_id bigint,
    kind text NOT NULL,
    chat_id bigint NOT NULL,
    thread_id bigint,
    reply_to bigint,
    text text,
    markup text,
    key text,
    urgency integer DEFAULT 1 NOT NULL,
    state integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    not_before timestamp with time zone DEFAULT '1970-01-01 00:00:00+00'::timestamp with time zone NOT NULL,
    out_until timestamp with time zone,
    tries integer DEFAULT 0 NOT NULL,
    sent_at timestamp with time zone,
    message_id bigint,
    error text,
    callback_id text,
    edit_of bigint
);

CREATE SEQUENCE public.notices_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.notices_id_seq OWNED BY public.notices.id;

CREATE TABLE public.promises (
    id bigint NOT NULL,
    status text NOT NULL,
    chat_id bigint,
    user_id bigint,
    username text,
    reply_to bigint,
    thread_id bigint,
    text text NOT NULL,
    task_type text,
    priority integer DEFAULT 5 NOT NULL,
    key text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    not_before timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone,
    attempt integer DEFAULT 0 NOT NULL,
    max_attempts integer DEFAULT 3 NOT NULL,
    timeout_ms bigint,
    worker text,
    lease_expires_at timestamp with time zone,
    heartbeat_at timestamp with time zone,
    cancel_requested boolean DEFAULT false NOT NULL,
    progress integer,
    progress_note text,
    result text,
    error text,
    meta jsonb,
    waiting integer DEFAULT 0 NOT NULL,
    notify integer DEFAULT 0 NOT NULL,
    notified_at timestamp with time zone,
    notify_error text,
    ack_message_id bigint,
    question text,
    answers jsonb,
    user_error text
);

CREATE SEQUENCE public.promises_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.promises_id_seq OWNED BY public.promises.id;

CREATE TABLE public.tgpromise_schema (
    version integer NOT NULL
);

ALTER TABLE ONLY public.notices ALTER COLUMN id SET DEFAULT nextval('public.notices_id_seq'::regclass);

ALTER TABLE ONLY public.promises ALTER COLUMN id SET DEFAULT nextval('public.promises_id_seq'::regclass);

ALTER TABLE ONLY public.attempts
    ADD CONSTRAINT attempts_pkey PRIMARY KEY (promise_id, attempt);

ALTER TABLE ONLY public.deps
    ADD CONSTRAINT deps_pkey PRIMARY KEY (promise_id, after_id);

ALTER TABLE ONLY public.notices
    ADD CONSTRAINT notices_key_key UNIQUE (key);

ALTER TABLE ONLY public.notices
    ADD CONSTRAINT notices_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.promises
    ADD CONSTRAINT promises_key_key UNIQUE (key);

ALTER TABLE ONLY public.promises
    ADD CONSTRAINT promises_pkey PRIMARY KEY (id);

CREATE INDEX deps_after ON public.deps USING btree (after_id);

CREATE INDEX notices_promise ON public.notices USING btree (promise_id) WHERE (promise_id IS NOT NULL);

CREATE INDEX notices_waiting ON public.notices USING btree (chat_id, id) WHERE (state = 0);

CREATE INDEX promises_chat ON public.promises USING btree (chat_id, id);

CREATE INDEX promises_due ON public.promises USING btree (priority, id, not_before) WHERE ((status = 'pending'::text) AND (waiting = 0));

CREATE INDEX promises_expiry ON public.promises USING btree (expires_at) WHERE (status = ANY (ARRAY['offered'::text, 'pending'::text, 'waiting'::text]));

CREATE INDEX promises_lease ON public.promises USING btree (lease_expires_at) WHERE (status = 'running'::text);

CREATE INDEX promises_open_chat ON public.promises USING btree (chat_id, id) WHERE (status = ANY (ARRAY['offered'::text, 'pending'::text, 'running'::text, 'waiting'::text]));


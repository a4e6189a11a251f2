# tests/examples.sh - find the examples in the man pages and the README and
# check them, so that none can go stale; source it after lib.sh.
#
# The convention (man/tgpromise.7 and README.md say it to writers too):
#
#   man pages   every runnable example is an .EX/.EE block; pictures and
#               tables that are not shell use .nf/.fi instead.
#   README.md   ```sh for examples, ```crontab for crontab lines, ```text
#               for pictures; no other code blocks.
#
# A block is one of three kinds, by its first line:
#
#   transcript  "$ command": lines starting with "$ " are commands (a line
#               ending in \, |, && or || continues on the next), the lines
#               after a command are exactly what it prints, standard output
#               and error together.  Run in a sandbox (see sandbox_new).
#   file        "# NAME" where NAME has a dot (my.rules): a file that the
#               page's transcripts find in their directory; a .rules file
#               must load in classify.
#   plain       anything else: shell for things that run forever or need a
#               real token.  It must pass sh -n, every command must exist
#               (bin/, examples/, a builtin or on PATH), and every option
#               given to one of ours must be in its --help.
#
# In man pages the text is taken after roff escapes are turned into what
# they print (\- \(aq \(dq \e \\ \& and fonts); any other escape is an
# error, so the test cannot silently read an example differently from man.

OURS='tgpoll classify promise runjob notify tgpromise worker answer sender'

# extract_man PAGE DIR: write each .EX block of PAGE as DIR/N.raw, and
# "N<TAB>PAGE:LINE" to DIR/list.  A request inside a block is an error.
extract_man() {
	mkdir -p "$2" && awk -v dir="$2" -v page="${1#"$TOP"/}" '
	/^\.EX/ { n++; f = dir "/" n ".raw"; printf "" >f
		print n "\t" page ":" NR >>(dir "/list"); inex = 1; next }
	/^\.EE/ { inex = 0; close(f); next }
	inex && /^\.\\"/ { next }
	inex && /^[.\047]/ { print page ":" NR ": a request inside an example: " $0 >"/dev/stderr"; bad = 1 }
	inex { print >f }
	END { if (inex) { print page ": .EX without .EE" >"/dev/stderr"; bad = 1 }
	      exit bad }' "$1"
}

# extract_md FILE DIR: the same for ```sh and ```crontab blocks (crontab
# ones get a .cron suffix); an unlabelled fence or an indented code block
# is an error, so every example is one the test sees.
extract_md() {
	mkdir -p "$2" && awk -v dir="$2" -v page="${1#"$TOP"/}" '
	infence && /^```/ { infence = 0; if (f) close(f); f = ""; next }
	infence { if (f) print >f; next }
	/^```/ { infence = 1; lang = substr($0, 4)
		if (lang == "sh" || lang == "crontab") {
			n++; f = dir "/" n (lang == "crontab" ? ".cron" : ".raw")
			printf "" >f
			print n "\t" page ":" NR >>(dir "/list")
		} else if (lang != "text") {
			print page ":" NR ": a code block must be ```sh, ```crontab or ```text" >"/dev/stderr"
			bad = 1
		}
		next }
	prev == "" && /^(    |\t)/ {
		print page ":" NR ": an indented code block (use a fence)" >"/dev/stderr"; bad = 1 }
	{ prev = $0 }
	END { exit bad }' "$1"
}

# roff_text <RAW >TEXT: what man prints for the lines of an .EX block.
roff_text() {
	sed -e 's/\\\\/\x01/g' -e 's/\\e/\x01/g' \
	    -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' \
	    -e 's/\\(lq/“/g' -e 's/\\(rq/”/g' -e 's/\\(em/—/g' -e 's/\\(en/–/g' \
	    -e 's/\\&//g' -e 's/\\f[BIRP]//g' -e 's/\\ / /g' |
	awk '/\\/ { print "unknown roff escape in: " $0 >"/dev/stderr"; bad = 1 }
	     { gsub(/\001/, "\\"); print } END { exit bad }'
}

# block_kind FILE: transcript, file or plain.
block_kind() {
	case $(sed -n 1p "$1") in
	'$ '*) echo transcript ;;
	'# '*.*) case $(sed -n '1s/^# //p' "$1") in
		*[!A-Za-z0-9._-]*) echo plain ;;
		*) echo file ;;
		esac ;;
	*) echo plain ;;
	esac
}

# transcript_script <TEXT >SCRIPT: a script that prints each command as the
# block shows it and then runs it, so its output is the block when the
# example is right; $? carries from one command to the next.  A command
# goes on to the next line after \, |, && or ||, or inside quotes.
transcript_script() {
	awk '
	function open_quote(t,   i, c, st) {
		st = 0
		for (i = 1; i <= length(t); i++) {
			c = substr(t, i, 1)
			if (st == 1) { if (c == "\047") st = 0 }
			else if (st == 2) { if (c == "\\") i++; else if (c == "\"") st = 0 }
			else if (c == "\\") i++
			else if (c == "\047") st = 1
			else if (c == "\"") st = 2
		}
		return st
	}
	function emit() {
		n++
		printf "cat <<\047__EXAMPLE_%d__\047\n%s\n__EXAMPLE_%d__\n", n, shown, n
		printf "(exit $__rc)\n%s\n__rc=$?\n", cmd
		incmd = 0
	}
	BEGIN { print "__rc=0" }
	incmd { shown = shown "\n" $0; cmd = cmd "\n" $0 }
	!incmd && /^\$ / { shown = $0; cmd = substr($0, 3); incmd = 1 }
	incmd && !/(\\|\||&&)[ \t]*$/ && !open_quote(cmd) { emit() }
	END { if (incmd) emit() }'
}

# sandbox_new DIR: a fresh world for one transcript: a directory that
# holds bin/ and examples/ (as in the source tree), the page's files, a
# promise store with the promises below, and a Bot API stand-in (fresh,
# so message ids start at 1) holding one message from chat 12345.
#
#   1 analysis "summarise the meeting notes"  done; follow-up waiting
#   2 search   "find flights to Lisbon"       pending, made two hours ago
#   3 code     "port the app to BeOS"         failed for good; follow-up waiting
#
# They are chat 12345's, but #3 is chat 67890's; follow-ups reply to the
# message waiting in the stand-in (message 1), or to nothing, so that
# notify sends each once and its pacing (one message a second per chat)
# costs no time.
sandbox_new() {
	[ -d "$T/fixture" ] || fixture_store "$T/fixture" || return 1
	rm -rf "$1" && mkdir -p "$1" && cp -R "$T/fixture" "$1/state" &&
	ln -s "$TOP/bin" "$TOP/examples" "$1/" || return 1
	PROMISE_DB=$1/state/promises.db XDG_STATE_HOME=$1/state
	export PROMISE_DB XDG_STATE_HOME
	standin_stop
	standin_start
	_msg='{"chat_id":12345,"user_id":12345,"text":"fix the login bug"}'
	if command -v curl >/dev/null; then	# quicker than starting python
		curl -fsS -o /dev/null -H 'Content-Type: application/json' \
			--data-binary "$_msg" "$STANDIN/control/message"
	else
		ctl message "$_msg" >/dev/null
	fi
}

# fixture_store DIR: the promises above, in DIR/promises.db.
fixture_store() {
	mkdir -p "$1" && (
	PROMISE_DB=$1/promises.db
	export PROMISE_DB
	promise add --chat 12345 --reply-to 1 --type analysis \
		summarise the meeting notes &&
	promise claim --worker fixture &&
	promise done 1 --worker fixture --attempt 1 \
		--result 'Three decisions, two open questions.' &&
	promise add --chat 12345 --reply-to 41 --type search \
		find flights to Lisbon &&
	promise add --chat 67890 --type code --priority 9 \
		port the app to BeOS &&
	promise claim --worker fixture --type code &&
	promise fail 3 --worker fixture --attempt 1 --permanent \
		--error 'no compiler for BeOS' &&
	python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE promises SET created_at = created_at - 7200000 WHERE id = 2")
db.commit()' "$PROMISE_DB"
	) >"$1.log" 2>&1 || { cat "$1.log" >&2; return 1; }
}

# simple_commands <SHELL: each simple command of a shell text on one line,
# its words separated by tabs, quoting removed; redirections, comments
# and the insides of quoted command substitutions left out.  Heredocs are
# refused (the checker would misread their bodies).
simple_commands() {
	awk '
	function word() { if (w != "" || q) { if (skip) skip = 0; else line = line (line == "" ? "" : "\t") w }
		w = ""; q = 0 }
	function cmd() { word(); if (line != "") print line; line = "" }
	{ text = text $0 "\n" }
	END {
		n = length(text); st = 0
		for (i = 1; i <= n; i++) {
			c = substr(text, i, 1); d = substr(text, i + 1, 1)
			if (st == 1) { if (c == "\047") st = 0; else w = w (c ~ /[ \t\n]/ ? "_" : c); continue }
			if (st == 2) {
				if (c == "\\") { w = w d; i++ }
				else if (c == "\"") st = 0
				else w = w (c ~ /[ \t\n]/ ? "_" : c)
				continue
			}
			if (c == "\\") { if (d != "\n") w = w d; i++; continue }
			if (c == "\047") { st = 1; q = 1; continue }
			if (c == "\"") { st = 2; q = 1; continue }
			if (c == "#" && w == "" && !q) { while (i <= n && substr(text, i, 1) != "\n") i++; cmd(); continue }
			if (c == "<" && d == "<") { print "heredoc" >"/dev/stderr"; exit 1 }
			if (c == "<" || c == ">") {
				if (w ~ /^[0-9]+$/) w = ""
				word()
				while (substr(text, i + 1, 1) ~ /[<>&|]/) i++
				if (substr(text, i, 1) == "&" && substr(text, i + 1, 1) ~ /[0-9-]/) i++
				else skip = 1
				continue
			}
			if (c == "$" && d == "(") { cmd(); i++; continue }
			if (c ~ /[ \t]/) { word(); continue }
			if (c ~ /[\n;&|()`{}!]/ && !(c ~ /[{}!]/ && (w != "" || d !~ /[ \t\n]/))) { cmd(); continue }
			w = w c
		}
		cmd()
	}'
}

# usage_of NAME [VERB]: the usage text a command's --help prints; for
# promise, only the lines of VERB and the options every verb takes.
usage_of() {
	if [ "${1##*/}" = promise ] && [ -n "${2:-}" ]; then
		promise --help | awk -v verb="$2" '
		/^ *(usage: )?promise [a-z]/ { v = $0; sub(/^ *(usage: )?promise /, "", v)
			sub(/ .*/, "", v); on = (v == verb) }
		/^Every verb/ { on = 0 }
		on'
		echo "--db --json --help"
	else
		"$1" --help
	fi
}

# check_plain FILE: the checks for a plain block (see the top).
check_plain() {
	_file=$1
	sh -n "$_file" || return 1
	simple_commands <"$_file" >"$_file.cmds" || return 1
	_bad=0
	while IFS= read -r _line; do
		# shellcheck disable=SC2086
		set -f; IFS='	'; set -- $_line; IFS=' 	
'; set +f
		while [ $# -gt 0 ]; do
			case $1 in
			[A-Za-z_]*=*|exec|env|nohup|then|else|elif|do|if|while|until) shift ;;
			flock) shift; while case ${1:-} in -*) true ;; *) false ;; esac; do shift; done
			       shift ;;	# the lock file
			timeout) shift; while case ${1:-} in -*) true ;; *) false ;; esac; do shift; done
			       shift ;;	# the duration
			*) break ;;
			esac
		done
		[ $# -gt 0 ] || continue
		case $1 in fi|done|esac|for|case|in) continue ;; esac
		_name=$1; shift
		case $_name in
		*/*) case $_name in /*) _path=$_name ;; *) _path=$TOP/$_name ;; esac
		     [ -f "$_path" ] && [ -x "$_path" ] ||
			{ echo "#   no such command: $_name" >&2; _bad=1; continue; } ;;
		*) command -v "$_name" >/dev/null 2>&1 ||
			{ echo "#   no such command: $_name" >&2; _bad=1; continue; }
		   _path=$_name ;;
		esac
		case " $OURS " in *" ${_name##*/} "*) ;; *) continue ;; esac
		_verb=
		if [ "${_name##*/}" = promise ]; then
			for _w; do case $_w in -*|*/*) ;; *) _verb=$_w; break ;; esac; done
		fi
		usage_of "$_path" $_verb </dev/null >"$_file.usage" 2>&1
		for _w; do
			case $_w in
			--) break ;;
			--[a-z]*|-[A-Za-z]) _flag=${_w%%=*} ;;
			*) continue ;;
			esac
			grep -q -E -e "(^|[^A-Za-z0-9-])$_flag([^A-Za-z0-9-]|\$)" "$_file.usage" || {
				echo "#   ${_name##*/}${_verb:+ $_verb} takes no $_flag" >&2
				_bad=1
			}
		done
	done <"$_file.cmds"
	return $_bad
}

# check_crontab FILE: every line is a comment, an assignment or five time
# fields and a command that passes check_plain.
check_crontab() {
	[ -r "$1" ] || { echo "#   cannot read $1" >&2; return 1; }
	_ln=0 _bad=0
	while IFS= read -r _l; do
		_ln=$((_ln + 1))
		case $_l in ''|'#'*|[A-Za-z_]*=*) continue ;; esac
		printf '%s\n' "$_l" | awk '{
			for (i = 1; i <= 5; i++)
				if ($i !~ /^(\*|[0-9]+(-[0-9]+)?)(\/[0-9]+)?(,([0-9]+(-[0-9]+)?)(\/[0-9]+)?)*$/)
					exit 1
			exit NF < 6 }' || { echo "#   line $_ln: bad time fields" >&2; _bad=1; continue; }
		case $_l in *%*) echo "#   line $_ln: a bare % ends a cron command" >&2; _bad=1; continue ;; esac
		printf '%s\n' "$_l" | sed -E 's/^[ \t]*([^ \t]+[ \t]+){5}//' >"$T/.cronline"
		check_plain "$T/.cronline" || { echo "#   line $_ln: $_l" >&2; _bad=1; }
	done <"$1"
	return $_bad
}

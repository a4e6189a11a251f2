#!/bin/sh
# examples.t - every example in the man pages, the README and
# examples/crontab runs as shown (transcripts) or is sound (the rest), so
# none can go stale.  The convention is in tests/examples.sh.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/standin.sh"
. "$TOP/tests/examples.sh"
PATH=$TOP/examples:$PATH
# The example handlers pretend to work for HANDLER_STEP seconds a step.
HANDLER_STEP=0
export PATH HANDLER_STEP

# run_block SOURCE DIR N WHERE: check block N of SOURCE (extracted in DIR).
run_block() {
	_txt=$2/$3.txt
	case $(block_kind "$_txt") in
	transcript)
		transcript_script <"$_txt" >"$2/$3.sh" &&
		sandbox_new "$T/sb" && cp "$2"/files/* "$T/sb/" 2>/dev/null
		(cd "$T/sb" && timeout 60 sh "$2/$3.sh") </dev/null >"$2/$3.out" 2>&1
		compare "$_txt" "$2/$3.out" "$4: the transcript is what it prints" ;;
	file)
		_name=$(sed -n '1s/^# //p' "$_txt")
		mkdir -p "$2/files" && cp "$_txt" "$2/files/$_name"
		case $_name in
		*.rules) check "$4: $_name loads in classify" \
			"classify --rules '$_txt' </dev/null && [ ! -s \"\$T/.err\" ]" ;;
		*) ok "$4: $_name is a file the page uses" true ;;
		esac ;;
	plain)
		ok "$4: sh -n, the commands exist, the options are theirs" \
			check_plain "$_txt" ;;
	esac
}

for src in "$TOP"/man/*.[1-9] "$TOP/README.md"; do
	name=${src##*/}
	d=$T/ex/$name
	case $name in
	*.md) extract_md "$src" "$d" ;;
	*) extract_man "$src" "$d" ;;
	esac
	ok "$name: examples follow the convention" [ $? = 0 ]
	case $name in
	*.md) ;;
	*)	# Every example is in an .EX block: no .nf display among them.
		ok "$name: EXAMPLES has examples, all in .EX blocks" awk '
			/^\.SH/ { on = ($0 ~ /^\.SH "?EXAMPLES/) }
			on && /^\.EX/ { n++ } on && /^\.nf/ { bad = 1 }
			END { exit bad || !n }' "$src" ;;
	esac
	[ -s "$d/list" ] || continue
	while IFS='	' read -r n where; do
		if [ -f "$d/$n.cron" ]; then
			ok "$where: crontab lines are sound" check_crontab "$d/$n.cron"
			continue
		fi
		case $name in
		*.md) cp "$d/$n.raw" "$d/$n.txt" ;;
		*) roff_text <"$d/$n.raw" >"$d/$n.txt" ||
			{ ok "$where: only known roff escapes" false; continue; } ;;
		esac
		run_block "$src" "$d" "$n" "$where" </dev/null
	done <"$d/list"
done

ok "examples/crontab is sound" check_crontab "$TOP/examples/crontab"

# What its lines run, bounded: a worker's round takes the waiting promise
# (#2) to done, the sender sends every notice.
sandbox_new "$T/sb" && cd "$T/sb" &&
WORKER_WAIT=1s WORKER_NAME=cron1 examples/worker --once 2>"$T/worker.err"
ok "crontab: examples/worker --once exits 0" [ $? = 0 ]
promise list --status done >"$T/done.out" 2>&1
cat >"$T/done.want" <<'EOF'
2      done       5 search   1/3 find flights to Lisbon
1      done       5 analysis 1/3 summarise the meeting notes
EOF
compare "$T/done.want" "$T/done.out" "crontab: the worker ran the waiting promise"
promise outbox --drain --json 2>"$T/outbox.err" | notify --jsonl 2>>"$T/outbox.err" |
	promise notified 2>>"$T/outbox.err" && promise outbox >"$T/outbox.out" 2>&1
ok "crontab: the sender empties the outbox" [ $? = 1 ]
cd "$T" || exit 1

# The README shows lines of examples/crontab: the same lines.
cat "$T"/ex/README.md/*.cron 2>/dev/null | grep -v '^#' | grep . >"$T/readme.cron"
grep -F -x -f "$T/readme.cron" "$TOP/examples/crontab" >"$T/found.cron"
compare "$T/readme.cron" "$T/found.cron" "the README's crontab lines are in examples/crontab"

done_testing

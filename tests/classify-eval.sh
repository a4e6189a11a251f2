#!/bin/sh
# classify-eval.sh - how well classify agrees with a labelled TSV.
#
#   sh tests/classify-eval.sh FILE [CLASSIFY-OPTION...]     (make eval TSV=FILE)
#
# FILE is in the corpus format, '#' lines are comments:
#   intent  tier  task_type  detach  text     (messages), or
#   promised  text                            (the bot's replies: --reply)
# told apart by the number of columns.  Prints the accuracy of each
# label against its goal, then every disagreement; exits 0 when every
# goal is met, 1 when one is not, 2 on bad usage.
set -u

[ $# -ge 1 ] || { echo "usage: classify-eval.sh FILE [CLASSIFY-OPTION...]" >&2; exit 2; }
tsv=$1; shift
[ -r "$tsv" ] || { echo "classify-eval.sh: cannot read $tsv" >&2; exit 2; }
classify=${CLASSIFY:-$(dirname "$0")/../bin/classify}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/classify-eval.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

grep -v '^#' "$tsv" | grep -v '^[[:space:]]*$' >"$tmp/rows"
cols=$(head -1 "$tmp/rows" | awk -F'\t' '{ print NF }')
case $cols in
5) textcol=5 mode= ;;
2) textcol=2 mode=--reply ;;
*) echo "classify-eval.sh: $tsv: want 5 columns (intent tier task_type detach text) or 2 (promised text), got ${cols:-none}" >&2
   exit 2 ;;
esac

cut -f"$textcol" "$tmp/rows" | jq -Rc '{text: .}' >"$tmp/in" || exit 2
"$classify" $mode "$@" <"$tmp/in" >"$tmp/out" || {
	echo "classify-eval.sh: classify failed" >&2; exit 2; }
if [ "$cols" = 5 ]; then
	jq -r '[.intent, .tier, .task_type, (.detach | tostring)] | @tsv' "$tmp/out"
else
	jq -r '.promised | tostring' "$tmp/out"
fi >"$tmp/got" || exit 2

paste "$tmp/rows" "$tmp/got" | awk -F'\t' -v cols="$cols" -v name="$(basename "$tsv")" '
function line(label, ok, n, goal,   pct) {
	pct = n ? 100 * ok / n : 100
	printf "%-10s %4d/%-4d %6.1f%%   goal %d%%%s%s\n", label, ok, n, pct, goal,
	    (label == "task_type" ? " of tasks" : ""), (pct < goal ? "   BELOW GOAL" : "")
	if (pct < goal) missed = 1
}
cols == 5 {
	n++
	if ($1 == $6) intent++
	if ($2 == $7) tier++
	if ($4 == $9) detach++
	if ($1 == "task") { tasks++; if ($3 == $8) ttype++ }
	if ($1 != $6 || $2 != $7 || $3 != $8 || $4 != $9)
		bad[++nbad] = sprintf("want %s %s %s %s, got %s %s %s %s: %s",
		    $1, $2, $3, $4, $6, $7, $8, $9, $5)
}
cols == 2 {
	n++
	if ($1 == $3) promised++
	else bad[++nbad] = sprintf("want promised=%s, got %s: %s", $1, $3, $2)
}
END {
	printf "%s: %d lines\n", name, n
	if (cols == 5) {
		line("intent", intent, n, 95)
		line("tier", tier, n, 85)
		line("task_type", ttype, tasks, 90)
		line("detach", detach, n, 95)
	} else
		line("promised", promised, n, 95)
	for (i = 1; i <= nbad; i++)
		print "  " bad[i]
	exit missed
}'

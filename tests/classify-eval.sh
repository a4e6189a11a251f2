#!/bin/sh
# classify-eval.sh - how well classify agrees with a labelled TSV.
#
#   sh tests/classify-eval.sh [--cv K] [--with TRAIN.tsv]... FILE [CLASSIFY-OPTION...]
#
# FILE is in the corpus format, '#' lines are comments:
#   intent  tier  task_type  detach  text     (messages), or
#   promised  text                            (the bot's replies: --reply)
# told apart by the number of columns.
#
# Without --cv, classify runs as it is (its built-in or --model model).
# With --cv K, cross-validation: row i of FILE is in fold i mod K; each
# fold is classified by a model trained (classify --train) on the other
# K-1 folds and the --with files only, so no line is ever judged by a
# model that saw it.  Prints each label's accuracy against its goal
# (issue 13), the confusion matrices (rows: the label, columns: what
# classify said), then every disagreement with its fold; exits 0 when
# every goal is met, 1 when one is not, 2 on bad usage.
set -u

usage() { echo "usage: classify-eval.sh [--cv K] [--with TRAIN.tsv]... FILE [CLASSIFY-OPTION...]" >&2; exit 2; }
k=0 with=
while [ $# -gt 0 ]; do
	case $1 in
	--cv) [ $# -ge 2 ] || usage; k=$2; shift 2 ;;
	--with) [ $# -ge 2 ] || usage; [ -r "$2" ] || { echo "classify-eval.sh: cannot read $2" >&2; exit 2; }
		with="$with --train $2"; shift 2 ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
case $k in *[!0-9]*|'') usage ;; esac
[ "$k" = 1 ] && usage
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

# judge ROWS FOLD [CLASSIFY-OPTION...]: ROWS with classify's labels and the fold appended
judge() {
	rows=$1 fold=$2; shift 2
	cut -f"$textcol" "$rows" | jq -Rc '{text: .}' >"$tmp/in" || exit 2
	"$classify" $mode "$@" <"$tmp/in" >"$tmp/out" || {
		echo "classify-eval.sh: classify failed" >&2; exit 2; }
	if [ "$cols" = 5 ]; then
		jq -r '[.intent, .tier, .task_type, (.detach | tostring)] | @tsv' "$tmp/out"
	else
		jq -r '.promised | tostring' "$tmp/out"
	fi >"$tmp/got" || exit 2
	paste "$rows" "$tmp/got" | awk -v f="$fold" '{ print $0 "\t" f }'
}

if [ "$k" = 0 ]; then
	judge "$tmp/rows" - "$@" >"$tmp/judged"
else
	: >"$tmp/judged"
	i=0
	while [ $i -lt "$k" ]; do
		awk -v k="$k" -v i=$i '(NR - 1) % k != i' "$tmp/rows" >"$tmp/train"
		awk -v k="$k" -v i=$i '(NR - 1) % k == i' "$tmp/rows" >"$tmp/test"
		# shellcheck disable=SC2086
		"$classify" "$@" --train "$tmp/train" $with >"$tmp/model" || {
			echo "classify-eval.sh: classify --train failed" >&2; exit 2; }
		judge "$tmp/test" $i "$@" --model "$tmp/model" >>"$tmp/judged"
		i=$((i + 1))
	done
fi

# EVAL_FOLDS="1 2 3 4": score only these folds (keep fold 0 for tuning)
awk -F'\t' -v cols="$cols" -v name="$(basename "$tsv")" -v k="$k" -v only="${EVAL_FOLDS:-}" '
BEGIN { if (only != "") { nf = split(only, fl, " "); for (i = 1; i <= nf; i++) keep[fl[i]] = 1 } }
only != "" && !($NF in keep) { next }
function line(label, ok, n, goal,   pct) {
	pct = n ? 100 * ok / n : 100
	printf "%-10s %4d/%-4d %6.1f%%   goal %d%%%s%s\n", label, ok, n, pct, goal,
	    (label == "task_type" ? " of tasks" : ""), (pct < goal ? "   BELOW GOAL" : "")
	if (pct < goal) missed = 1
}
function matrix(title, names, cnt,   nn, i, j, v) {
	nn = split(names, v, " ")
	printf "\n%s (rows: label, columns: classify)\n%-13s", title, ""
	for (j = 1; j <= nn; j++) printf "%9s", substr(v[j], 1, 8)
	printf "\n"
	for (i = 1; i <= nn; i++) {
		printf "%-13s", v[i]
		for (j = 1; j <= nn; j++) printf "%9d", cnt[v[i], v[j]]
		printf "\n"
	}
}
cols == 5 {
	n++
	if ($1 == $6) intent++
	if ($2 == $7) tier++
	if ($4 == $9) detach++
	ci[$1, $6]++; ct[$2, $7]++; cd[$4, $9]++
	if ($1 == "task") { tasks++; cy[$3, $8]++; if ($3 == $8) ttype++ }
	if ($1 != $6 || $2 != $7 || $3 != $8 || $4 != $9)
		bad[++nbad] = sprintf("[fold %s] want %s %s %s %s, got %s %s %s %s: %s",
		    $10, $1, $2, $3, $4, $6, $7, $8, $9, $5)
}
cols == 2 {
	n++
	cp[$1, $3]++
	if ($1 == $3) promised++
	else bad[++nbad] = sprintf("[fold %s] want promised=%s, got %s: %s", $4, $1, $3, $2)
}
END {
	printf "%s: %d lines%s%s\n", name, n, k ? sprintf(", %d-fold cross-validation", k) : "",
	    only != "" ? " (folds " only ")" : ""
	if (cols == 5) {
		line("intent", intent, n, 97)
		line("tier", tier, n, 90)
		line("task_type", ttype, tasks, 92)
		line("detach", detach, n, 97)
		matrix("intent", "task confirm decline status cancel command chat", ci)
		matrix("tier", "conversation simple complex deep", ct)
		matrix("task_type, of tasks", "code search analysis other none", cy)
		matrix("detach", "true false", cd)
	} else {
		line("promised", promised, n, 97)
		matrix("promised", "true false", cp)
	}
	if (nbad) printf "\ndisagreements:\n"
	for (i = 1; i <= nbad; i++)
		print "  " bad[i]
	exit missed
}' "$tmp/judged"

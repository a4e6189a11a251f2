#!/bin/sh
# classify meets its accuracy goals (issue 13) on labelled text it was
# not trained on: the corpus by cross-validation (its model never saw
# the line it judges), and our held-out style examples, which the
# built-in model is not trained on, as classify ships.
. "$(dirname "$0")/lib.sh"
plan 4

corpus=$TOP/../shared/corpus data=$TOP/tests/data
goal() {	# FILE ARGS...: the goals are met on FILE
	f=$1; shift
	opts=$*
	if [ -r "$f" ]; then
		expect_exit 0 "goals met on $(basename "$f")" \
			'sh "$TOP/tests/classify-eval.sh" $opts "$f" >eval.out'
	else
		skip "$f is not here"
	fi
}
goal "$corpus/classify-train.tsv" --cv 5 --with "$data/classify-more.tsv" \
	--with "$data/classify-dev.tsv" --with "$data/classify-dev2.tsv" \
	--with "$data/classify-dev3.tsv"
goal "$corpus/promises-train.tsv" --cv 5 --with "$data/promises-more.tsv" \
	--with "$data/promises-dev.tsv"
goal "$data/classify-extra.tsv"
goal "$data/promises-extra.tsv"

#!/bin/sh
# classify meets its accuracy goals on the labelled corpora (behaviour,
# not speed): the training corpus, and our own held-out style examples.
. "$(dirname "$0")/lib.sh"
plan 4

corpus=$TOP/../shared/corpus
for f in "$corpus/classify-train.tsv" "$corpus/promises-train.tsv" \
	"$TOP/tests/data/classify-extra.tsv" "$TOP/tests/data/promises-extra.tsv"; do
	if [ -r "$f" ]; then
		expect_exit 0 "goals met on $(basename "$f")" \
			'sh "$TOP/tests/classify-eval.sh" "$f" >eval.out'
	else
		skip "$f is not here"
	fi
done

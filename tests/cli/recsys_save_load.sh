#!/bin/sh
# `embedlab recsys --save` then `--load`: the loaded model prints the same data line and the same
# test-metric lines as training printed. Usage: recsys_save_load.sh EMBEDLAB WORK_DIR
set -eu
bin=$1
dir=$2
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
for model in mf deep-meta triplet; do
  "$bin" recsys --data synthetic-small --model $model --epochs 2 --dim 8 --seed 3 --save $model.emblmdl > $model.train
  "$bin" recsys --load $model.emblmdl --data synthetic-small > $model.load
  # Training: the lines after "saved the model ..."; loading: the lines after "model: ...".
  sed -n '/^saved the model/,$p' $model.train | tail -n +2 > $model.train.test
  sed -n '/^model:/,$p' $model.load | tail -n +2 > $model.load.test
  grep -q '^test ' $model.train.test || { echo "$model: no test line after training"; cat $model.train; exit 1; }
  cmp $model.train.test $model.load.test || { echo "$model: --load printed other numbers"; diff $model.train.test $model.load.test; exit 1; }
  [ "$(grep '^data:' $model.train)" = "$(grep '^data:' $model.load)" ] || { echo "$model: other data or split"; exit 1; }
  echo "$model: same test lines:"; cat $model.load.test
done
# Other data than the model's: exit 1 and a message naming both sizes.
rc=0
"$bin" recsys --load mf.emblmdl --data synthetic > /dev/null 2> wrong.err || rc=$?
[ $rc -eq 1 ] && grep -q "300 users x 500 items" wrong.err && grep -q "943 x 1682" wrong.err ||
  { echo "wrong data: exit $rc"; cat wrong.err; exit 1; }
# Not a model file: exit 1 naming the file.
rc=0
"$bin" recsys --load mf.train --data synthetic-small > /dev/null 2> foreign.err || rc=$?
[ $rc -eq 1 ] && grep -q "mf.train: not an EmbedLab model file" foreign.err || { echo "foreign: exit $rc"; cat foreign.err; exit 1; }
# --load with --model is a usage error.
rc=0
"$bin" recsys --load mf.emblmdl --data synthetic-small --model mf > /dev/null 2>&1 || rc=$?
[ $rc -eq 2 ] || { echo "--load --model: exit $rc, expected 2"; exit 1; }
echo ok

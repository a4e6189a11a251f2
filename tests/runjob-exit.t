#!/bin/sh
# runjob's exit status mirrors timeout(1)'s in every case, with and
# without --json; flags, environment, directory and limits.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/runjob-lib.sh"
plan 36

expect_exit 0 'success is 0' runjob -- true
expect_exit 7 "the task's own status" "runjob -- sh -c 'exit 7'"
expect_exit 7 "timeout(1) gives the same" "timeout 10 sh -c 'exit 7'"
expect_exit 124 'timed out is 124' runjob -t 0.2 -- sleep 10
expect_exit 124 'as with timeout(1)' timeout 0.2 sleep 10
expect_exit 124 'durations take ms' runjob -t 150ms -- sleep 10
expect_exit 125 'a bad --cwd is 125' runjob --cwd "$T/none" -- true
expect_exit 125 'as timeout(1) failing itself' timeout --bogus 1 true
printf 'x\n' >notexec
expect_exit 126 'not executable is 126' runjob -- ./notexec
expect_exit 126 'as with timeout(1)' timeout 10 ./notexec
expect_exit 127 'not found is 127' runjob -- ./no-such-command
expect_exit 127 'as with timeout(1)' timeout 10 ./no-such-command
expect_exit 137 'killed by signal 9 is 128+9' "runjob -- sh -c 'kill -9 \$\$'"
expect_exit 137 'as with timeout(1)' "timeout 10 sh -c 'kill -9 \$\$'"
expect_exit 143 'killed by signal 15 is 128+15' "runjob -- sh -c 'kill -15 \$\$'"
expect_exit 2 'a bad flag is 2' runjob --bogus -- true
expect_exit 2 'a bad duration is 2' runjob -t soon -- true
expect_exit 2 'no command is 2' runjob -t 1
check 'usage on --help, exit 0' 'runjob --help >help && grep -q "^usage: runjob" help'
check '--version' 'runjob --version >v && grep -q "^runjob " v'

# --json: the same statuses, and the line says what happened.
expect_exit 3 '--json keeps the exit status' \
	"runjob --json -- sh -c 'echo out; echo err >&2; exit 3' >r"
json r '{exit,signal,timed_out,cancelled,lease_lost,output,output_truncated}' >got
printf '%s\n' '{"exit":3,"signal":null,"timed_out":false,"cancelled":false,"lease_lost":false,"output":"out\nerr\n","output_truncated":false}' >want
compare want got '--json: stdout and stderr in one output, in order'
expect_exit 124 '--json: timed out is 124' \
	"runjob --json -t 0.2 -k 0.2 -- sh -c 'echo begun; trap \"\" TERM; sleep 10' >r"
json r '{exit,signal,timed_out,output}' >got
printf '%s\n' '{"exit":null,"signal":9,"timed_out":true,"output":"begun\n"}' >want
compare want got '--json: a stubborn task shows signal 9 after the grace'
expect_exit 127 '--json: not found is 127, and still a line' \
	"runjob --json -- ./no-such-command >r"
json r '{exit,signal,error}' >got
printf '%s\n' '{"exit":null,"signal":null,"error":"cannot run '"'"'./no-such-command'"'"': No such file or directory"}' >want
compare want got '--json: the line says why'

# SIGTERM to runjob stops the task the same way, and the line is printed.
runjob --json -- sh -c 'echo started; : >ready; exec sleep 30' >r &
pid=$!
eventually 30 test -e ready     # the task runs: wait for that, not for time
kill -TERM $pid
wait $pid
ok 'SIGTERM to runjob: 128+15 from the stopped task' [ $? = 143 ]
json r '{signal,interrupted,output}' >got
printf '%s\n' '{"signal":15,"interrupted":true,"output":"started\n"}' >want
compare want got 'SIGTERM to runjob: the result line is printed'

# Environment, directory, limits.
expect_exit 0 '--env-clear and --env give a clean environment' \
	"HOME=/x runjob --json --env-clear --env A=1 --env 'B=two words' -- /usr/bin/env >r"
json r .output >got
printf '%s\n' '"A=1\nB=two words\n"' >want
compare want got 'only what --env set'
expect_exit 0 'the bot token never reaches the task' \
	"TELEGRAM_BOT_TOKEN=123:secret runjob --json -- sh -c 'echo \${TELEGRAM_BOT_TOKEN-unset}' >r"
json r .output >got
printf '%s\n' '"unset\n"' >want
compare want got 'TELEGRAM_BOT_TOKEN is not in the environment'
mkdir d
expect_exit 0 '--cwd' "runjob --json --cwd d -- pwd >r"
ok '--cwd changes the directory' [ "$(jq -r .output r)" = "$T/d" ]
expect_exit 137 '--cpu: a busy loop gets SIGKILL past the limit' \
	"runjob --cpu 1 -- sh -c 'trap \"\" XCPU; while :; do :; done'"
expect_exit 1 '--memory: allocation fails under the limit' \
	"runjob --memory 64M -- sh -c 'exec python3 -c \"bytearray(256 << 20)\"' 2>/dev/null"

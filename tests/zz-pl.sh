. "$(dirname "$0")/lib.sh"
. "$TOP/tests/standin.sh"
standin_start
tgpromise --public --workers 2 2>$T/err &
BOT_PID=$!
sleep 3
ps -e -o pid=,ppid=,args= | awk -v root="$BOT_PID" '
	{ pid[NR] = $1; ppid[NR] = $2; $1 = $2 = ""; args[NR] = substr($0, 3) }
	END {
		mine[root] = 1
		for (changed = 1; changed; ) {
			changed = 0
			for (i = 1; i <= NR; i++)
				if (!(pid[i] in mine) && (ppid[i] in mine)) { mine[pid[i]] = 1; changed = 1 }
		}
		for (i = 1; i <= NR; i++) if (pid[i] in mine) print pid[i], ppid[i], "[" args[i] "]"
	}'
kill $BOT_PID; wait

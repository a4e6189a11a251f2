# tests/e2e-flood.sh - the whole bot against the stand-in with Telegram's
# flood limits on (30 sends a second, 1 a second to a chat, 20 a minute to
# a group, a 429 past them); source it after lib.sh.  Used by
# tests/e2e-flood.t (a small burst, in make test) and tests/e2e-burst.sh
# (issue 10's burst of 306, make burst).
#
#   burst CHATS PER GROUP    CHATS chats x PER tasks and GROUP tasks from a
#                            group (chat -1001), all in one injection
#   until_acks SECS N        until N acknowledgements were sent
#   flood_checks N           the checks below over what was sent, N tests
STANDIN_FLAGS=--flood
. "$TOP/tests/e2e.sh"

burst() {
	jq -cn --argjson n "$1" --argjson k "$2" --argjson g "$3" '
		[range($k) as $j | range($n) as $u | {chat_id: (20000 + $u),
		  user_id: (20000 + $u), text: "fix the login bug in module \($j)"}] +
		[range($g) as $j | {chat_id: -1001, chat_type: "supergroup", user_id: (30000 + $j),
		  text: "@tgpromise_test_bot fix the login bug in group task \($j)"}]' >burst.json
	ctl message "$(cat burst.json)" >/dev/null
}

# until_acks SECS N: blocks in the stand-in until N acknowledgements are out.
until_acks() {
	_end=$(($(date +%s) + $1))
	while :; do
		sent "$T/.sent" || return 1
		set -- "$1" "$2" $(jq -rs '[map(select(.method == "sendMessage" and
			(.text | test("^Started #")))) | length,
			map(select(.method != "sendChatAction")) | length] | @sh' "$T/.sent")
		[ "$3" -ge "$2" ] && return 0
		_left=$((_end - $(date +%s)))
		[ $_left -gt 0 ] || return 1
		ctl_wait "sent=$(($4 + 1))&timeout=$_left" >/dev/null || true
		set -- "$1" "$2"
	done
}

: >empty
# flood_checks: issue 10's "Done when" over the stand-in's record (sent,
# said, refused) and the store (promises).  Nine tests.
flood_checks() {
	sent all
	ctl_get said >said
	ctl_get state >standin-state
	promise list --json >promises

	# Every message acknowledged within 20 s of the burst (its last message).
	jq -rs --slurpfile said said '($said | map(.at) | max) as $t0 |
		map(select(.method == "sendMessage" and (.text | test("^Started #")))) |
		map(.at - $t0) | max | if . <= 20 then "ok" else "last acknowledgement \(.)s after the burst" end' \
		all >got
	echo ok >want
	compare want got 'every message acknowledged within 20 s of the burst'
	jq -r 'select(.method == "sendMessage" and (.text | test("^Started #"))) |
		"\(.chat_id) \(.reply_to)"' all | sort -u >got
	jq -r '"\(.chat_id) \(.message_id)"' said | sort >want
	compare want got 'every message has its acknowledgement, replying to it'

	# At most 1 % of the sends refused with a 429.
	jq -r 'if .refused * 100 <= .sends then "ok" else
		"\(.refused) of \(.sends) sends refused" end' standin-state >got
	echo ok >want
	compare want got 'at most 1 % of sends refused with 429'

	# No chat sees a result before its acknowledgement: every follow-up
	# and every edit of #N comes after "Started #N" in the stand-in's log.
	jq -rs 'to_entries | map(.value + {n: .key}) |
		(map(select(.method == "sendMessage" and (.text | test("^Started #")))) |
		 map({key: (.text | capture("#(?<id>[0-9]+)").id), value: .n}) | from_entries) as $ack |
		.[] | select(.method == "sendMessage" and (.text | test("^(Done: |Sorry, |Cancelled |I did not get to )"))) |
		(.text | capture("\\(#(?<id>[0-9]+)\\)").id) as $id |
		select(($ack[$id] // 1e9) > .n) | "result of #\($id) before its acknowledgement"' \
		all >got
	compare empty got 'no chat sees a result before its acknowledgement'

	# Every promise kept, one follow-up each.
	jq -r '"#\(.id) \(.status)"' promises | sort >got
	jq -r '"#\(.id) done"' promises | sort >want
	compare want got 'every promise kept'
	jq -r 'select(.method == "sendMessage" and (.text | test("^Done: "))) |
		.text | capture("\\(#(?<id>[0-9]+)\\)").id' all | sort | uniq -c |
		awk '$1 != 1' >got
	compare empty got 'one follow-up each'

	# No stale progress: the last edit of each acknowledgement says how its
	# promise ended.
	jq -rs 'map(select(.method == "sendMessage" and (.text | test("^Started #")))) as $acks |
		(map(select(.method == "editMessageText")) | group_by([.chat_id, .message_id]) |
		 map({key: "\(.[0].chat_id) \(.[0].message_id)", value: (last | .text)}) |
		 from_entries) as $last |
		$acks[] | ($last["\(.chat_id) \(.message_id)"] // "no edit") as $t |
		select($t | test("^#[0-9]+ is done: ") | not) |
		"\(.text | capture("#(?<id>[0-9]+)").id): \($t)"' all >got
	compare empty got 'the last edit of every acknowledgement says how it ended'

	# Acknowledgements sent twice: at most 1 %.
	jq -rs 'map(select(.method == "sendMessage" and (.text | test("^Started #"))) | .text) |
		(length) as $n | (group_by(.) | map(select(length > 1)) | length) as $twice |
		if $twice * 100 <= $n then "ok" else "\($twice) of \($n) acknowledged twice" end' \
		all >got
	echo ok >want
	compare want got 'acknowledgements sent twice: at most 1 %'

	# The group's limit is kept too: never more than 20 sends in a minute.
	jq -rs 'map(select(.chat_id == -1001 and .method != "sendChatAction") | .at) | sort |
		. as $t | [range(length) | select(. >= 20 and $t[.] - $t[. - 20] < 60)] |
		if length == 0 then "ok" else "21 sends to the group within a minute" end' \
		all >got
	echo ok >want
	compare want got 'the group never got more than 20 sends a minute'
}

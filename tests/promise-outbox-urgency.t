#!/bin/sh
# A chat's next notice carries the urgency of the most urgent one waiting
# behind it, and an edit yields to a message: a progress edit must not keep a new
# acknowledgement in that chat waiting behind every other chat's
# acknowledgements (make burst: a chat's second acknowledgement came 21 s
# after the burst, behind its first task's edits and follow-up).
. "$(dirname "$0")/lib.sh"
plan 4

receipt() {
	jq -cn --argjson r "$1" '{ref: $r, ok: true, message_ids: [(100 + $r)]}' |
		promise notified
}
promise add --ack --chat 5 'fix the bug' >/dev/null
promise outbox --json --lease 0 >/dev/null
receipt 1
promise claim --json --worker w >/dev/null
check 'progress on #1 queues an edit of its acknowledgement' \
	'promise heartbeat 1 --worker w --attempt 1 --progress 50 >/dev/null'
check 'a follow-up waits in chat 6' 'promise add --chat 6 other >/dev/null &&
	promise claim --json --worker w >/dev/null && promise done 2 --worker w --attempt 1 >/dev/null'
check 'a second task is acknowledged in chat 5' 'promise add --ack --chat 5 "write the docs" >/dev/null'
promise outbox --json --lease 0 >ob.json
jq -r '"\(.chat_id) \(.kind) \(.urgency)"' ob.json >got
printf '%s\n' '5 ack 0' '6 done 1' >want
compare want got "the waiting acknowledgement goes before the edit, and before another chat's follow-up"

# bench/classify.jq - classify's decisions written the way one would in
# jq: regular expressions with test(), one per word list.  It is the peer
# in bench/classify.sh, faithful to the same rules (head word after
# filler, status and cancel phrasing, topics for the type, scale words
# for the tier), not to every word of them.
#
#   jq -c -f bench/classify.jq <lines

def words($l): "\\b(" + ($l | join("|")) + ")\\b";
def lead($l): "^(" + ($l | join("|")) + ")\\b";

def filler: "^((please|pls|kindly|just|now|also|and|then|so|well|hey|hi|hello|ok|okay|sure|alright|actually|can you|could you|would you|will you|i need you to|i want you to|i would like you to|i'll need you to|go ahead and|help me|let's|let us)\\b[\\s,.!]*)+";
def confirm: lead(["yes","yep","yeah","yup","sure thing","absolutely","of course","go ahead","go for it","do it","please do","sounds good","sounds like a plan","that works","proceed","👍","👌","✅"]);
def decline: lead(["no","nope","nah","not now","not yet","never mind","nevermind","forget it","don't","do not","hold off","hold on","wait","maybe later","let's not","let's talk about it first","talk about it first","i'd rather not","👎"]);
def cancel: lead(["cancel","stop","abort","kill","halt","terminate","call off","scrap","drop"]);
def status: words(["status","progress","any update","any news","eta","how far","how much longer","what are you working on","still working","ready yet","done yet","finished yet","coming along"]);
def status_cue: words(["ready","done","finished","complete","going","working on","yet"]);
def chat_head: lead(["explain","tell me","describe","define","what is","what's","what are","what do you think","who","why","how do","how does"]);
def question: "(\\?\\s*$|^(what|who|why|how|when|where|which|is|are|do|does|did|can|could|will|should|has|have)\\b)";
def lookup: words(["weather","forecast","temperature","time in","time is it","exchange rate","stock price","price of","population of"]);
def strong_code: lead(["fix","refactor","implement","debug","migrate","deploy","rewrite","upgrade","optimi[sz]e","port","integrate","configure","install","patch","set up ci"]);
def strong_search: lead(["search","search for","look for","find","hunt for","browse","gather","collect","scrape"]);
def strong_analysis: lead(["analy[sz]e","review","compare","evaluate","assess","audit","investigate","examine","go through","inspect","study","look into","dig into"]);
def strong_other: lead(["draft","prepare","plan","organi[sz]e","compose","outline","book","arrange","edit"]);
def quick: lead(["summari[sz]e","translate","convert","remind","look up","google","check","calculate","schedule","add"]);
def verb: lead(["do","make","create","write","produce","generate","build","develop","get","give","send","set up","add","run","show","conduct","perform","research","monitor"]);
def topic_code: words(["bug","code","function","script","regex","api","database","schema","sql","test","tests","ci","repo","branch","git","module","backend","frontend","server","login","page","website","app","dashboard","calculator","program","command","dependencies","docker","python","sqlite"]);
def topic_search: words(["articles","papers","news","flights","hotels","prices","alternatives","weather","latest","recent","population","literature"]);
def topic_analysis: words(["analysis","data","logs","metrics","statistics","churn","revenue","sales","contract","proposals","tickets","complaints","summary"]);
def topic_other: words(["email","letter","report","guide","document","presentation","essay","list","reminder","itinerary","notes","update"]);
def deep: words(["comprehensive","thorough","exhaustive","extensive","in depth","in-depth","deep dive","deep analysis","every","entire","whole","all day","overnight","hours","days","weeks","years","module by module"]);
def deep_head: lead(["research","monitor","survey","keep an eye on"]);
def complex: words(["complex","multiple","several","tests","every night","every day","daily","nightly","weekly","all our","all my","articles","papers","alternatives","report","everything","proposals","contract"]);
def target: (capture("(?:#|\\b(?:task|job|promise|id)\\s+#?)(?<n>[0-9]+)") // null) | if . then (.n | tonumber) else null end;

def commands: {
	start: ["command"], help: ["command"], settings: ["command"], logs: ["command"],
	jobs: ["status"], status: ["status"], tasks: ["status"], cancel: ["cancel"], stop: ["cancel"],
	board: ["task", "complex", "analysis", true], retrospective: ["task", "complex", "analysis", true],
	"long-task": ["task", "deep", "other", true]
};

def typeof($h; $l):
	if ($h | test(strong_code)) then "code"
	elif ($h | test(strong_analysis)) then "analysis"
	elif ($h | test(strong_search) or test(deep_head)) then "search"
	elif ($h | test(strong_other)) then "other"
	elif ($l | test(topic_code)) then "code"
	elif ($l | test(topic_analysis)) or ($h | test("^summari")) then "analysis"
	elif ($l | test(topic_search)) or ($h | test("^look up")) then "search"
	else "other" end;

def tierof($h; $l):
	if ($l | test(deep)) or ($h | test(deep_head)) then "deep"
	elif ($l | test(complex)) or ($h | test(strong_code) or test(strong_search)
	      or test(strong_analysis) or test(strong_other)) then "complex"
	elif ($h | test(quick)) then "simple"
	elif ($l | split(" ") | length) >= 15 then "complex"
	else "simple" end;

def task($h; $l): tierof($h; $l) as $tier |
	{intent: "task", tier: $tier, task_type: typeof($h; $l),
	 detach: ($tier == "complex" or $tier == "deep")};
def plain($i): {intent: $i, tier: "conversation", task_type: "none", detach: false};

.text as $t |
if ($t | type) != "string" then . else
($t | ascii_downcase | gsub("’"; "'")) as $l |
($l | sub(filler; "")) as $h |
if ($t | test("^/[A-Za-z0-9_-]+(@[A-Za-z0-9_]+)?(\\s|$)")) then
	($t | capture("^/(?<c>[A-Za-z0-9_-]+)(@[A-Za-z0-9_]+)?\\s*(?<rest>.*)$"; "s")) as $m |
	(commands[$m.c | ascii_downcase] // ["command"]) as $d |
	. + {intent: $d[0], tier: ($d[1] // "conversation"), task_type: ($d[2] // "none"),
	     detach: ($d[3] // false), command: $m.c,
	     args: [$m.rest | scan("\"[^\"]*\"|'[^']*'|\\S+") | gsub("^[\"']|[\"']$"; "")]}
	| if (.intent == "cancel" or .intent == "status") and (.args[0] // "" | test("^#?[0-9]+$"))
	  then .target_id = (.args[0] | ltrimstr("#") | tonumber) else . end
elif $h == "" then . + plain(if ($l | test("^(ok|okay|sure|alright)")) then "confirm" else "chat" end)
elif ($h | test(confirm)) then . + plain("confirm")
elif ($h | test(decline)) then . + plain("decline")
elif ($h | test(cancel)) then . + plain("cancel") + ({target_id: ($l | target)} | with_entries(select(.value)))
elif ($h | test(status)) then . + plain("status")
elif ($h | test(strong_code) or test(strong_search) or test(strong_analysis)
      or test(strong_other) or test(quick) or test(verb)) then . + task($h; $l)
elif ($l | test(status)) or (($l | test(question)) and ($l | test(status_cue))) then
	. + plain("status") + ({target_id: ($l | target)} | with_entries(select(.value)))
elif ($l | test(lookup)) and (($l | test(question)) or ($h | test(chat_head))) then . + task($h; $l)
else . + plain("chat") end
end

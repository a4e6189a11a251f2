#!/bin/sh
# classify generalizes by meaning, the rules alone (--no-model): request
# forms and WordNet's verbs make tasks whatever the verb, quick sums and
# live questions are simple tasks, a payload after ": " does not size
# the task; without WordNet, unlisted verbs are left alone.  How far work
# reaches (whole, every) is deep only after a strong verb, a time (all
# day) is not; piece by piece is deep; the size of the thing made (a
# small script) is simple; "yet", "going to" ask the world, not us;
# units make a conversion, a lookup subject first a query; a verb with
# -s tells; letters drawn out (pleeease) are the word; contractions
# typed without the apostrophe (whats, im) are expanded; "no way" is a
# reaction unless a decline follows; a yes before a statement about
# others ("agreed, the plan is a mess") is a reaction too; a search
# for one fact ("find the phone number of...") is simple; who is, what
# are... ask without a '?'; a statement (a subject, then a verb that
# tells: "the dog ate a sock") is chat the rules are sure of, and "saw",
# "found" open a diary's past, not an order.
. "$(dirname "$0")/lib.sh"
plan 143

cat >in <<'IN'
{"text":"could you tidy up the readme?"}
{"text":"can u wire the logger into the api"}
{"text":"tidy up the readme"}
{"text":"vet these three vendors"}
{"text":"love this song"}
{"text":"fair enough"}
{"text":"open the ticket for it"}
{"text":"do you have feelings?"}
{"text":"what's 15% of 240?"}
{"text":"how much is 250 GBP in yen?"}
{"text":"when does the supermarket close today?"}
{"text":"summarize this: we will migrate every service to the new cluster over the next weeks, one by one"}
IN
cat >want <<'OUT'
{"text":"could you tidy up the readme?","intent":"task","tier":"simple","task_type":"other","detach":false}
{"text":"can u wire the logger into the api","intent":"task","tier":"simple","task_type":"code","detach":false}
{"text":"tidy up the readme","intent":"task","tier":"simple","task_type":"other","detach":false}
{"text":"vet these three vendors","intent":"task","tier":"simple","task_type":"other","detach":false}
{"text":"love this song","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"fair enough","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"open the ticket for it","intent":"task","tier":"simple","task_type":"other","detach":false}
{"text":"do you have feelings?","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"what's 15% of 240?","intent":"task","tier":"simple","task_type":"other","detach":false}
{"text":"how much is 250 GBP in yen?","intent":"task","tier":"simple","task_type":"other","detach":false}
{"text":"when does the supermarket close today?","intent":"task","tier":"simple","task_type":"search","detach":false}
{"text":"summarize this: we will migrate every service to the new cluster over the next weeks, one by one","intent":"task","tier":"simple","task_type":"analysis","detach":false}
OUT
check 'classify by the rules' 'classify --no-model <in >out'
compare want out 'request forms, WordNet verbs, sums, live questions, payloads'

cat >in <<'IN'
{"text":"rewrite the whole backend in go"}
{"text":"run prettier on the whole src folder"}
{"text":"look up the opening hours of the louvre"}
{"text":"the build has been red all day, fix it"}
{"text":"redo the deck slide by slide"}
{"text":"write a small python script that prints the date"}
{"text":"write a script that prints the date and deploy it"}
{"text":"is the new phone out yet?"}
{"text":"have you got anything for me yet?"}
{"text":"is it going to rain in oslo?"}
{"text":"what percent is 41k of 240k?"}
IN
cat >want <<'OUT'
{"text":"rewrite the whole backend in go","intent":"task","tier":"deep","task_type":"code","detach":true}
{"text":"run prettier on the whole src folder","intent":"task","tier":"simple","task_type":"other","detach":false}
{"text":"look up the opening hours of the louvre","intent":"task","tier":"simple","task_type":"search","detach":false}
{"text":"the build has been red all day, fix it","intent":"task","tier":"complex","task_type":"code","detach":true}
{"text":"redo the deck slide by slide","intent":"task","tier":"deep","task_type":"other","detach":true}
{"text":"write a small python script that prints the date","intent":"task","tier":"simple","task_type":"code","detach":false}
{"text":"write a script that prints the date and deploy it","intent":"task","tier":"complex","task_type":"code","detach":true}
{"text":"is the new phone out yet?","intent":"task","tier":"simple","task_type":"search","detach":false}
{"text":"have you got anything for me yet?","intent":"status","tier":"conversation","task_type":"none","detach":false}
{"text":"is it going to rain in oslo?","intent":"task","tier":"simple","task_type":"search","detach":false}
{"text":"what percent is 41k of 240k?","intent":"task","tier":"simple","task_type":"other","detach":false}
OUT
check 'classify extents, sizes and lookups' 'classify --no-model <in >out'
compare want out 'extent after a strong verb only, piece by piece, small things, yet and going to'

cat >in <<'IN'
{"text":"how many ounces in a kilo?"}
{"text":"what's 9pm CET in PST"}
{"text":"how many days until christmas?"}
{"text":"how many hours do you sleep?"}
{"text":"weather berlin"}
{"text":"nice weather today"}
{"text":"hmm makes sense"}
{"text":"pleeease fix the bug"}
{"text":"nooo"}
{"text":"nvm"}
IN
cat >want <<'OUT'
{"text":"how many ounces in a kilo?","intent":"task","tier":"simple","task_type":"other","detach":false}
{"text":"what's 9pm CET in PST","intent":"task","tier":"simple","task_type":"other","detach":false}
{"text":"how many days until christmas?","intent":"task","tier":"simple","task_type":"other","detach":false}
{"text":"how many hours do you sleep?","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"weather berlin","intent":"task","tier":"simple","task_type":"other","detach":false}
{"text":"nice weather today","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"hmm makes sense","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"pleeease fix the bug","intent":"task","tier":"complex","task_type":"code","detach":true}
{"text":"nooo","intent":"decline","tier":"conversation","task_type":"none","detach":false}
{"text":"nvm","intent":"decline","tier":"conversation","task_type":"none","detach":false}
OUT
check 'classify units, queries, tellings, drawn-out words' 'classify --no-model <in >out'
compare want out 'conversions by units, weather berlin, makes sense, pleeease, nvm'

cat >in <<'IN'
{"text":"whats taking so long with the report"}
{"text":"im hoping u can fix the login bug"}
{"text":"no way"}
{"text":"no way, don't touch it"}
{"text":"haha no way"}
IN
cat >want <<'OUT'
{"text":"whats taking so long with the report","intent":"status","tier":"conversation","task_type":"none","detach":false}
{"text":"im hoping u can fix the login bug","intent":"task","tier":"complex","task_type":"code","detach":true}
{"text":"no way","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"no way, don't touch it","intent":"decline","tier":"conversation","task_type":"none","detach":false}
{"text":"haha no way","intent":"chat","tier":"conversation","task_type":"none","detach":false}
OUT
check 'classify contractions without apostrophes, exclamations' 'classify --no-model <in >out'
compare want out 'whats, im; no way is a reaction, no way, don'\''t declines'

cat >in <<'IN'
{"text":"agreed, the new plan is a mess"}
{"text":"yes! finally someone gets it"}
{"text":"absolutely, that movie was bad"}
{"text":"yes, that's what I want"}
{"text":"yes, run it in the background"}
{"text":"yes, the first one is fine"}
{"text":"sure thing, the build can run overnight"}
{"text":"yes, the report you mentioned"}
IN
cat >want <<'OUT'
{"text":"agreed, the new plan is a mess","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"yes! finally someone gets it","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"absolutely, that movie was bad","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"yes, that's what I want","intent":"confirm","tier":"conversation","task_type":"none","detach":false}
{"text":"yes, run it in the background","intent":"confirm","tier":"conversation","task_type":"none","detach":false}
{"text":"yes, the first one is fine","intent":"confirm","tier":"conversation","task_type":"none","detach":false}
{"text":"sure thing, the build can run overnight","intent":"confirm","tier":"conversation","task_type":"none","detach":false}
{"text":"yes, the report you mentioned","intent":"confirm","tier":"conversation","task_type":"none","detach":false}
OUT
check 'classify reactions' 'classify --no-model <in >out'
compare want out 'a yes before a statement about others agrees with it: chat, not a confirm'

cat >in <<'IN'
{"text":"find the phone number for the town hall"}
{"text":"find out who won the champions league last night"}
{"text":"search the release date of python 3.13"}
{"text":"find the cheapest flights to lisbon"}
{"text":"find out why the build fails"}
{"text":"find the phone number of the plumber and book him for monday"}
IN
cat >want <<'OUT'
{"text":"find the phone number for the town hall","intent":"task","tier":"simple","task_type":"search","detach":false}
{"text":"find out who won the champions league last night","intent":"task","tier":"simple","task_type":"search","detach":false}
{"text":"search the release date of python 3.13","intent":"task","tier":"simple","task_type":"search","detach":false}
{"text":"find the cheapest flights to lisbon","intent":"task","tier":"complex","task_type":"search","detach":true}
{"text":"find out why the build fails","intent":"task","tier":"complex","task_type":"search","detach":true}
{"text":"find the phone number of the plumber and book him for monday","intent":"task","tier":"complex","task_type":"search","detach":true}
OUT
check 'classify searches for one fact' 'classify --no-model <in >out'
compare want out 'a strong search verb after one fact (a number, who won) is a simple lookup'

cat >in <<'IN'
{"text":"whos playing at the o2 arena this saturday"}
{"text":"who is playing at the arena tonight?"}
{"text":"what is a monad"}
IN
cat >want <<'OUT'
{"text":"whos playing at the o2 arena this saturday","intent":"task","tier":"simple","task_type":"search","detach":false}
{"text":"who is playing at the arena tonight?","intent":"task","tier":"simple","task_type":"search","detach":false}
{"text":"what is a monad","intent":"chat","tier":"conversation","task_type":"none","detach":false}
OUT
check 'classify questions without a question mark' 'classify --no-model <in >out'
compare want out 'an interrogative opening asks: a live question without ? is looked up'

printf '%s\n' '{"text":"tidy up the readme"}' '{"text":"could you tidy up the readme?"}' >in
cat >want <<'OUT'
{"text":"tidy up the readme","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"could you tidy up the readme?","intent":"task","tier":"simple","task_type":"other","detach":false}
OUT
check 'classify without WordNet' 'WNSEARCHDIR=$T/none classify --no-model <in >out'
compare want out 'without WordNet an unlisted verb is not a task; a request form still is'

# --explain shows the rules are sure: the model needs e^6, not e^3, to
# make a task of a statement
cat >in <<'IN'
{"text":"the dog ate a whole sock again"}
{"text":"kids are at their grandparents so its pizza tonight"}
{"text":"finally moved to postgres 17, no issues so far"}
{"text":"saw the news about the flooding, awful"}
{"text":"the printer jammed three times this morning"}
{"text":"the tests keep failing on CI, can you fix them"}
{"text":"the build is broken. fix it"}
{"text":"sure, in the background is fine"}
{"text":"we lost 3-0, the ref was blind"}
{"text":"we are not moving anymore, kill the apartment search"}
{"text":"i was thinking about a second shop. research it for me"}
IN
cat >want <<'OUT'
chat true the dog ate a whole sock again
chat true kids are at their grandparents so its pizza tonight
chat true finally moved to postgres 17, no issues so far
chat true saw the news about the flooding, awful
chat true the printer jammed three times this morning
task true the tests keep failing on CI, can you fix them
task true the build is broken. fix it
confirm false sure, in the background is fine
chat true we lost 3-0, the ref was blind
cancel true we are not moving anymore, kill the apartment search
task true i was thinking about a second shop. research it for me
OUT
check 'classify statements' 'classify --no-model --explain <in >out'
check 'their intents and sureness' 'jq -r "[.intent, .why.intent.sure, .text] | join(\" \")" out >got'
compare want got 'a statement is sure chat; a request form or a later order is still a task'

# a job named after forget, never mind, scrap is called off (bare, they
# decline an offer), as does a cancel right after a no (not after
# "don't"); a ping that names a job asks how it goes
cat >in <<'IN'
{"text":"forget the flight search"}
{"text":"never mind the flights, trip's off"}
{"text":"pull the plug on the load test"}
{"text":"scratch that last request"}
{"text":"forget it"}
{"text":"never mind"}
{"text":"nvm cancel it"}
{"text":"no wait stop"}
{"text":"please don't cancel it"}
{"text":"news on the db dump?"}
{"text":"what's the word on the load test"}
{"text":"bump on the vendor comparison"}
{"text":"ping re: the logo"}
{"text":"did you get to the expense report"}
{"text":"checking in on the onboarding doc"}
IN
cat >want <<'OUT'
cancel forget the flight search
cancel never mind the flights, trip's off
cancel pull the plug on the load test
cancel scratch that last request
decline forget it
decline never mind
cancel nvm cancel it
cancel no wait stop
decline please don't cancel it
status news on the db dump?
status what's the word on the load test
status bump on the vendor comparison
status ping re: the logo
status did you get to the expense report
status checking in on the onboarding doc
OUT
check 'classify cancels and pings that name a job' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'forget the X cancels it, forget it declines, nvm cancel it cancels; news on X asks after it'

# a link shown (look at this, check out this, watch this) is chat; work
# asked of it, or check alone, is a task
cat >in <<'IN'
{"text":"dude look at this view https://imgur.com/a/x8Ks2"}
{"text":"check out this article, wild stuff https://www.theverge.com/2026/robots"}
{"text":"watch this, it's amazing https://youtu.be/x"}
{"text":"look at this log https://paste.example/x and tell me what broke"}
{"text":"check this PR https://github.com/a/b/pull/1"}
IN
cat >want <<'OUT'
chat dude look at this view https://imgur.com/a/x8Ks2
chat check out this article, wild stuff https://www.theverge.com/2026/robots
chat watch this, it's amazing https://youtu.be/x
task look at this log https://paste.example/x and tell me what broke
task check this PR https://github.com/a/b/pull/1
OUT
check 'classify shared links' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'a link shown to be seen is chat, a link with work asked of it a task'

# a short query about now with no verb and no person, about weather, a
# market or a measure (WordNet's first sense), is looked up; a judgement
# or a plan is a remark
cat >in <<'IN'
{"text":"rain tomorrow in amsterdam?"}
{"text":"tesla stock today"}
{"text":"thunderstorm warnings in bavaria tonight"}
{"text":"uv index today in barcelona"}
{"text":"air quality delhi"}
{"text":"petrol prices near leeds"}
{"text":"how much is a return from leeds to scarborough today"}
{"text":"how much is a bitcoin worth atm"}
{"text":"nice weather today"}
{"text":"air quality 🤢"}
{"text":"snow!!"}
{"text":"pizza and a movie tonight"}
{"text":"busy day today"}
IN
cat >want <<'OUT'
task simple search rain tomorrow in amsterdam?
task simple search tesla stock today
task simple search thunderstorm warnings in bavaria tonight
task simple search uv index today in barcelona
task simple search air quality delhi
task simple search petrol prices near leeds
task simple search how much is a return from leeds to scarborough today
task simple search how much is a bitcoin worth atm
chat conversation none nice weather today
chat conversation none air quality 🤢
chat conversation none snow!!
chat conversation none pizza and a movie tonight
chat conversation none busy day today
OUT
check 'classify queries about now' 'classify --no-model <in >out'
check 'their labels' 'jq -r "[.intent, .tier, .task_type, .text] | join(\" \")" out >got'
compare want got 'weather, markets and measures asked of now, or in a bare query, are looked up; remarks are chat'

# work on a short text given after "this:" is simple whatever the verb;
# an operator's chore (restart, drain) is simple other, on any system
cat >in <<'IN'
{"text":"fix this: print \"hello world\""}
{"text":"fix: for i in range(len(xs)) print(xs[i])"}
{"text":"fix the login bug"}
{"text":"restart nginx on web-2"}
{"text":"drain node k8s-3"}
IN
cat >want <<'OUT'
task simple code fix this: print "hello world"
task simple code fix: for i in range(len(xs)) print(xs[i])
task complex code fix the login bug
task simple other restart nginx on web-2
task simple other drain node k8s-3
OUT
check 'classify given texts and chores' 'classify --no-model <in >out'
check 'their labels' 'jq -r "[.intent, .tier, .task_type, .text] | join(\" \")" out >got'
compare want got 'a short payload makes a fix simple; a chore is simple other'

# a judgement asked of a text given here (quoted, or after a colon) is a
# quick analysis; a meaning asked of a quoted phrase is still chat
cat >in <<'IN'
{"text":"is this email too rude? 'Per my last email, I already sent this.'"}
{"text":"is this sentence positive or negative: the service was slow"}
{"text":"which of these is the better opening: (a) \"Ever since I was a child\" or (b) \"The first time I broke a microscope\""}
{"text":"what does \"break a leg\" mean?"}
{"text":"is this normal?"}
IN
cat >want <<'OUT'
task simple analysis is this email too rude? 'Per my last email, I already sent this.'
task simple analysis is this sentence positive or negative: the service was slow
task simple analysis which of these is the better opening: (a) "Ever since I was a child" or (b) "The first time I broke a microscope"
chat conversation none what does "break a leg" mean?
chat conversation none is this normal?
OUT
check 'classify judgements of a given text' 'classify --no-model <in >out'
check 'their labels' 'jq -r "[.intent, .tier, .task_type, .text] | join(\" \")" out >got'
compare want got 'is this X? with the text given is a quick analysis'

# after a word of assent, a bare verb on it (or on nothing) answers an
# offer; a verb with work named is a new task
cat >in <<'IN'
{"text":"alright, send it"}
{"text":"perfect, start"}
{"text":"ok cool go"}
{"text":"perfect, start on it"}
{"text":"go ahead and book it"}
{"text":"ok fix the login bug"}
{"text":"sure, send the report to anna"}
{"text":"go ahead and book a table for two at lucca"}
IN
cat >want <<'OUT'
confirm alright, send it
confirm perfect, start
confirm ok cool go
confirm perfect, start on it
confirm go ahead and book it
task ok fix the login bug
task sure, send the report to anna
task go ahead and book a table for two at lucca
OUT
check 'classify assent with a bare verb' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'ok, send it and go ahead and book it confirm; ok, send the report names work'

# a no without a no (not needed, maybe another time), pings without a
# status word, results and journeys looked up
cat >in <<'IN'
{"text":"maybe another time"}
{"text":"we don't need it anymore, thanks"}
{"text":"i'm good, thanks"}
{"text":"na im good"}
{"text":"oh no thank you, i'll price them myself"}
{"text":"actually, could we not do that right now?"}
{"text":"i'm ok, thanks"}
{"text":"i'm good with that, proceed"}
{"text":"how close are you to finishing?"}
{"text":"have you made any headway on the bug?"}
{"text":"who won the election in argentina?"}
{"text":"how long is the drive from Munich to Vienna?"}
IN
cat >want <<'OUT'
decline maybe another time
decline we don't need it anymore, thanks
decline i'm good, thanks
decline na im good
decline oh no thank you, i'll price them myself
decline actually, could we not do that right now?
decline i'm ok, thanks
confirm i'm good with that, proceed
status how close are you to finishing?
status have you made any headway on the bug?
task who won the election in argentina?
task how long is the drive from Munich to Vienna?
OUT
check 'classify declines, pings and lookups in other words' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'declines, status pings and lookups worded freely'

# the types by the conventions of the labelled data: checking a result
# and statistics are analysis, a formula or filter asked for is code, a
# tone changed is other, who makes or where to buy is a search
cat >in <<'IN'
{"text":"check my math: 17 * 23 = 391?"}
{"text":"standard deviation of 4 8 15 16 23 42"}
{"text":"whats the formula in google sheets to show the days between two dates"}
{"text":"what's the jq filter to get all names"}
{"text":"what is the syntax of python like"}
{"text":"make this sound more professional: hey guys the thing is broken again"}
{"text":"quick look: who makes the cheapest usb-c hub with ethernet"}
IN
cat >want <<'OUT'
task simple analysis check my math: 17 * 23 = 391?
task simple analysis standard deviation of 4 8 15 16 23 42
task simple code whats the formula in google sheets to show the days between two dates
task simple code what's the jq filter to get all names
chat conversation none what is the syntax of python like
task simple other make this sound more professional: hey guys the thing is broken again
task simple search quick look: who makes the cheapest usb-c hub with ethernet
OUT
check 'classify the types of everyday tasks' 'classify --no-model <in >out'
check 'their labels' 'jq -r "[.intent, .tier, .task_type, .text] | join(\" \")" out >got'
compare want got 'checks and statistics analyse, snippets are code, tone is other'

# a colon that lists the parts of the work is no text given to work on;
# the size words of the labelled data: take your time, the full report;
# a message whose words are given (saying...) is quick to write
cat >in <<'IN'
{"text":"draft the new patient welcome pack for the clinic: opening hours, how to book, cancellation policy"}
{"text":"fix this pls: if x = 5: print(x)"}
{"text":"go through all 400 interview transcripts and map the recurring themes, take your time"}
{"text":"write the full report on the outage"}
{"text":"hi can you write an email to the school saying jack wont be in today"}
{"text":"draft a letter to the insurance company about the water damage"}
IN
cat >want <<'OUT'
task complex other draft the new patient welcome pack for the clinic: opening hours, how to book, cancellation policy
task simple code fix this pls: if x = 5: print(x)
task deep analysis go through all 400 interview transcripts and map the recurring themes, take your time
task deep other write the full report on the outage
task simple other hi can you write an email to the school saying jack wont be in today
task complex other draft a letter to the insurance company about the water damage
OUT
check 'classify parts listed and sizes named' 'classify --no-model <in >out'
check 'their labels' 'jq -r "[.intent, .tier, .task_type, .text] | join(\" \")" out >got'
compare want got 'parts after a colon still size the work; take your time and full are deep'

# stop X from Y-ing puts an end to a fault: a task; yes and also <work>
# asks more; roger, send it over answers an offer; a market asked of now
# is looked up; an order in jest is only a guess of the rules
cat >in <<'IN'
{"text":"stop the overlay from flickering when a sub alert comes in"}
{"text":"stop the report"}
{"text":"yes and also could you add logging to the scraper"}
{"text":"yes, and ping me after"}
{"text":"roger, send it over"}
{"text":"whats sol trading at"}
IN
cat >want <<'OUT'
task stop the overlay from flickering when a sub alert comes in
cancel stop the report
task yes and also could you add logging to the scraper
confirm yes, and ping me after
confirm roger, send it over
task whats sol trading at
OUT
check 'classify ends, more work, assent, markets' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'stop X from, yes and also, roger send it, trading at'
printf '%s\n' '{"text":"send help lol the ranked queue is cursed"}' '{"text":"send the invoice to anna"}' >in
check 'classify orders in jest' 'classify --no-model --explain <in >out'
printf '%s\n' 'false send help lol the ranked queue is cursed' 'true send the invoice to anna' >want
jq -r '[(.why.intent.sure | tostring), .text] | join(" ")' out >got
compare want got 'a laugh leaves an order to the model'


# a head WordNet has seen more often as a noun than as a verb gives an
# order only with an object after it
cat >in <<'IN'
{"text":"flight landed early for once"}
{"text":"gas bill came in, i need to sit down"}
{"text":"bus late again"}
{"text":"vet these vendors"}
{"text":"wire the logger in"}
IN
cat >want <<'OUT'
chat flight landed early for once
chat gas bill came in, i need to sit down
chat bus late again
task vet these vendors
task wire the logger in
OUT
check 'classify heads that are mostly nouns' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'flight landed, gas bill came in are told; vet these, wire the are orders'

# a question after work we were given, by its verb or its number, asks
# its status; the listener's own doings are chat
cat >in <<'IN'
{"text":"did you order the ink?"}
{"text":"have you finished the slides"}
{"text":"how's job 12"}
{"text":"how's it going with the migration?"}
{"text":"did you sleep well?"}
{"text":"have you ever been to scotland"}
{"text":"how's it going?"}
{"text":"how is it going with you"}
IN
cat >want <<'OUT'
status did you order the ink?
status have you finished the slides
status how's job 12
status how's it going with the migration?
chat did you sleep well?
chat have you ever been to scotland
chat how's it going?
chat how is it going with you
OUT
check 'classify questions after work' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'did you order, have you finished, how is job 12 ask status; did you sleep, how is it going with you are chat'

# a conversion in plural or short units is a quick task; idioms that
# wear a verb of work (cheers, jokes, disbelief) are chat
cat >in <<'IN'
{"text":"180 lbs in stone"}
{"text":"75 mcg to mg?"}
{"text":"ran 5 miles today, legs are dead"}
{"text":"can you believe the semester's nearly over"}
{"text":"go team!!!"}
{"text":"take my money 💸"}
{"text":"kill me now, 300 pages of discovery left to bates stamp"}
{"text":"break a leg tonight team, full book 🔥"}
{"text":"can you send the invoice"}
IN
cat >want <<'OUT'
task 180 lbs in stone
task 75 mcg to mg?
chat ran 5 miles today, legs are dead
chat can you believe the semester's nearly over
chat go team!!!
chat take my money 💸
chat kill me now, 300 pages of discovery left to bates stamp
chat break a leg tonight team, full book 🔥
task can you send the invoice
OUT
check 'classify plural units and idioms' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'lbs in stone is a sum; can you believe, go team, kill me now, break a leg are chat'

# a short piece of writing is one quick draft whatever the verb; a blog
# post, a letter are left to the length and the model
cat >in <<'IN'
{"text":"write a sign for the clinic door: closed friday afternoon for staff training"}
{"text":"come up with 5 names for the incidents slack channel"}
{"text":"make a funny poem for grandpa's 80th, he loves fishing and hates his new hearing aid"}
{"text":"write a blog post about our migration to kubernetes"}
IN
cat >want <<'OUT'
simple true write a sign for the clinic door: closed friday afternoon for staff training
simple true come up with 5 names for the incidents slack channel
simple true make a funny poem for grandpa's 80th, he loves fishing and hates his new hearing aid
simple false write a blog post about our migration to kubernetes
OUT
check 'classify short pieces of writing' 'classify --no-model --explain <in >out'
check 'their tiers' 'jq -r "[.tier, (.why.tier.sure | tostring), .text] | join(\" \")" out >got'
compare want got 'a sign, names, a poem are surely simple; a blog post only by its length'

# a thing shown to be seen is chat, with or without a link; a thing of
# work shown without one ("this stack trace"), or check with no "out",
# is handed over
cat >in <<'IN'
{"text":"look at this cute dog I met"}
{"text":"check out my new setup, finally got the ring light"}
{"text":"look what my daughter drew"}
{"text":"look at this stack trace"}
{"text":"check my essay"}
{"text":"look at this log and tell me what broke"}
IN
cat >want <<'OUT'
chat look at this cute dog I met
chat check out my new setup, finally got the ring light
chat look what my daughter drew
task look at this stack trace
task check my essay
task look at this log and tell me what broke
OUT
check 'classify things shown' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'a dog, a setup, a drawing shown are chat; a stack trace, an essay to check are work'

# a verb's word as the subject of a verb that tells is a statement (a
# word WordNet tags as often a noun as a verb may lead a compound);
# after it, an object, a request form or a base verb ("speed") is not
cat >in <<'IN'
{"text":"cluster is down AGAIN. third time this week"}
{"text":"grant got funded!!! drinks on me"}
{"text":"sprint planning took 3 hours. three."}
{"text":"tax season is my villain origin story"}
{"text":"train's stuck outside reading, apparently a signal failure"}
{"text":"check people have paid"}
{"text":"fix the page that was broken"}
{"text":"deploy is stuck, can you look"}
{"text":"wind speed at scheveningen beach now"}
IN
cat >want <<'OUT'
chat cluster is down AGAIN. third time this week
chat grant got funded!!! drinks on me
chat sprint planning took 3 hours. three.
chat tax season is my villain origin story
chat train's stuck outside reading, apparently a signal failure
task check people have paid
task fix the page that was broken
task deploy is stuck, can you look
task wind speed at scheveningen beach now
OUT
check 'classify named subjects' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'cluster is down, grant got funded are statements; check people have paid is an order'

# an explanation is chat the rules are sure of; of a thing given here
# the model judges, and a later order makes work
cat >in <<'IN'
{"text":"can you explain to me what OAuth is in a few sentences?"}
{"text":"tell me how photosynthesis works"}
{"text":"explain this stack trace"}
{"text":"look at our google analytics numbers for october and explain the drop in traffic"}
IN
cat >want <<'OUT'
chat true can you explain to me what OAuth is in a few sentences?
chat true tell me how photosynthesis works
chat false explain this stack trace
task true look at our google analytics numbers for october and explain the drop in traffic
OUT
check 'classify explanations' 'classify --no-model --explain <in >out'
check 'their intents' 'jq -r "[.intent, (.why.intent.sure | tostring), .text] | join(\" \")" out >got'
compare want got 'explain what OAuth is, tell me how it works are surely chat; explain this trace is not sure'

# the verb of a clause inside the subject's phrase does not make a
# statement: the rules leave it to the model
cat >in <<'IN'
{"text":"three name ideas for a bakery that does sourdough"}
{"text":"a rule to make cells green if they say seen"}
{"text":"the dog ate a sock again"}
IN
cat >want <<'OUT'
false three name ideas for a bakery that does sourdough
false a rule to make cells green if they say seen
true the dog ate a sock again
OUT
check 'classify clauses inside' 'classify --no-model --explain <in >out'
check 'whether the rules are sure' 'jq -r "[(.why.intent.sure | tostring), .text] | join(\" \")" out >got'
compare want got 'that does, if they say are not the main verb; ate is'

# two numbers are a sum when asked about or nearly alone, not in a
# report of the day
cat >in <<'IN'
{"text":"3 calls, 0 term sheets, great day"}
{"text":"1234 * 5678"}
{"text":"is p = 0.03 significant at alpha 0.05 two-tailed"}
{"text":"2.9% vs 3.4% ctr with 8k impressions each, is that a real difference"}
IN
cat >want <<'OUT'
chat 3 calls, 0 term sheets, great day
task 1234 * 5678
task is p = 0.03 significant at alpha 0.05 two-tailed
task 2.9% vs 3.4% ctr with 8k impressions each, is that a real difference
OUT
check 'classify numbers' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got '3 calls, 0 term sheets is a day told; 1234 * 5678 and a question about two figures are sums'

# status asked in a hurry: u done with X, you find any yet, where's X at
cat >in <<'IN'
{"text":"hey u done with the supplier list"}
{"text":"you find any dryers yet"}
{"text":"where's the donor list at"}
{"text":"where is the station"}
IN
cat >want <<'OUT'
status hey u done with the supplier list
status you find any dryers yet
status where's the donor list at
chat where is the station
OUT
check 'classify hurried status' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'u done with, you find any, where is it at ask after work; where is the station does not'

# words in another language asked for in a second language's form
cat >in <<'IN'
{"text":"how to say in english \"Feierabend\"? exist a word for this?"}
{"text":"how is called in english the \"nota fiscal\"?"}
{"text":"how I say \"estoy hasta las narices\" in english?"}
IN
cat >want <<'OUT'
task simple other how to say in english "Feierabend"? exist a word for this?
task simple other how is called in english the "nota fiscal"?
task simple other how I say "estoy hasta las narices" in english?
OUT
check 'classify how to say' 'classify --no-model <in >out'
check 'their labels' 'jq -r "[.intent, .tier, .task_type, .text] | join(\" \")" out >got'
compare want got 'how to say, how is called, how I say ask a quick translation'

# a '?' inside a link starts its query, it does not ask
cat >in <<'IN'
{"text":"check out what this guy wrote about our brunch https://www.yelp.com/biz/the-copper-pot?hrid=8f2k"}
{"text":"check out what this guy wrote about our brunch? https://www.yelp.com/biz/the-copper-pot"}
IN
cat >want <<'OUT'
chat check out what this guy wrote about our brunch https://www.yelp.com/biz/the-copper-pot?hrid=8f2k
task check out what this guy wrote about our brunch? https://www.yelp.com/biz/the-copper-pot
OUT
check 'classify links with a query' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'a link shown with ?hrid= in it is chat; a real question mark asks'

# when a thing of the world happens next is looked up; history is not,
# and asked of the listener it is status
cat >in <<'IN'
{"text":"when does the new spiderman hit netflix"}
{"text":"when is apple's next event"}
{"text":"what time does the pharmacy on main street close tonight"}
{"text":"what time is it in Tokyo"}
{"text":"when was the eiffel tower built"}
{"text":"when will you be done?"}
IN
cat >want <<'OUT'
task search when does the new spiderman hit netflix
task search when is apple's next event
task search what time does the pharmacy on main street close tonight
task other what time is it in Tokyo
chat none when was the eiffel tower built
status none when will you be done?
OUT
check 'classify when questions' 'classify --no-model <in >out'
check 'their intents and types' 'jq -r "[.intent, .task_type, .text] | join(\" \")" out >got'
compare want got 'when does X hit netflix, what time does it close are lookups; when was it built is not'

# a query about now may open with a noun WordNet also knows as an
# adjective ("gold"); a word of judgement first is still a remark
cat >in <<'IN'
{"text":"gold price"}
{"text":"fish market price for sea bass this week in billingsgate"}
{"text":"nice weather today"}
IN
cat >want <<'OUT'
task search gold price
task search fish market price for sea bass this week in billingsgate
chat none nice weather today
OUT
check 'classify queries opening with a noun' 'classify --no-model <in >out'
check 'their intents and types' 'jq -r "[.intent, .task_type, .text] | join(\" \")" out >got'
compare want got 'gold price is a query; nice weather today a remark'

# a verb of showing whose object is a status phrase asks for status
cat >in <<'IN'
{"text":"list my running jobs"}
{"text":"show me what's running"}
{"text":"remind me where you're at with the api docs"}
{"text":"show me the status bar code"}
IN
cat >want <<'OUT'
status list my running jobs
status show me what's running
status remind me where you're at with the api docs
task show me the status bar code
OUT
check 'classify showing status' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'list my running jobs asks status; show me the status bar code is work'

# whether a thing of work went out, got sent, was heard back about
cat >in <<'IN'
{"text":"did the invoices go out to the builders merchants?"}
{"text":"hello? did my email get sent"}
{"text":"have you heard back about the train times"}
{"text":"did you sleep well?"}
IN
cat >want <<'OUT'
status did the invoices go out to the builders merchants?
status hello? did my email get sent
status have you heard back about the train times
chat did you sleep well?
OUT
check 'classify things sent' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'did the invoices go out, did my email get sent ask status; did you sleep well does not'

# thanks, but: an offer turned down kindly; a request after it is work
cat >in <<'IN'
{"text":"thanks but my husband already sorted it"}
{"text":"that's kind but no"}
{"text":"não, obrigado"}
{"text":"thanks but can you also add the totals"}
IN
cat >want <<'OUT'
decline thanks but my husband already sorted it
decline that's kind but no
decline não, obrigado
task thanks but can you also add the totals
OUT
check 'classify kind declines' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'thanks but, that is kind but, nao obrigado decline; thanks but can you add is work'

# work called off in other words
cat >in <<'IN'
{"text":"call it off"}
{"text":"abandon the audit, we're using an outside firm"}
{"text":"ignore my last message"}
{"text":"shut it down"}
{"text":"i quit the gym yesterday"}
IN
cat >want <<'OUT'
cancel call it off
cancel abandon the audit, we're using an outside firm
cancel ignore my last message
cancel shut it down
chat i quit the gym yesterday
OUT
check 'classify other cancels' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'call it off, abandon the audit, ignore my last message cancel; i quit the gym tells'

# yes in other words and other languages
cat >in <<'IN'
{"text":"by all means"}
{"text":"sure, whenever you're ready"}
{"text":"sí, adelante"}
{"text":"sim, pode fazer"}
IN
cat >want <<'OUT'
confirm by all means
confirm sure, whenever you're ready
confirm sí, adelante
confirm sim, pode fazer
OUT
check 'classify other yeses' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'by all means, whenever you are ready, si adelante, sim pode fazer confirm'

# a cancel said laughing is a laugh the rules only guess at
cat >in <<'IN'
{"text":"stop it 😂😂"}
{"text":"stop it 😂 i can't breathe"}
{"text":"stop it"}
IN
cat >want <<'OUT'
chat false stop it 😂😂
chat false stop it 😂 i can't breathe
cancel true stop it
OUT
check 'classify cancels said laughing' 'classify --no-model --explain <in >out'
check 'their intents' 'jq -r "[.intent, (.why.intent.sure | tostring), .text] | join(\" \")" out >got'
compare want got 'stop it with a laugh is not surely a cancel; stop it is'

# a yes before news told in an irregular past, a thing looked up told
# of, and work asked after by its past (fixed, sorted)
cat >in <<'IN'
{"text":"yes!! the under-10s won the cup on penalties"}
{"text":"weather's been dry as a bone since july"}
{"text":"weather lisbon sat"}
{"text":"IS IT FIXED YET??"}
{"text":"receipts sorted yet?"}
{"text":"what stage is the refactor at"}
{"text":"is the ferry running today"}
{"text":"will you be finished today?"}
{"text":"is the thing from this morning ready"}
{"text":"how many jobs you got running"}
{"text":"is my job still in the queue"}
{"text":"what have you got so far on the bike lane transcripts"}
{"text":"deploy done?"}
{"text":"sooo... the blog post?"}
{"text":"the pizza?"}
{"text":"how are you getting on with the lesson plans"}
IN
cat >want <<'OUT'
chat yes!! the under-10s won the cup on penalties
chat weather's been dry as a bone since july
task weather lisbon sat
status IS IT FIXED YET??
status receipts sorted yet?
status what stage is the refactor at
task is the ferry running today
status will you be finished today?
status is the thing from this morning ready
status how many jobs you got running
status is my job still in the queue
status what have you got so far on the bike lane transcripts
status deploy done?
status sooo... the blog post?
chat the pizza?
status how are you getting on with the lesson plans
OUT
check 'classify news, weather told, work asked after' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'yes, the under-10s won is news; weather has been dry tells; is it fixed yet, what stage is X at ask status, is the ferry running today looks up; deploy done? and the blog post? ping'

# a number glued to its unit is a number and a unit
cat >in <<'IN'
{"text":"6ft in metres"}
{"text":"75kg in stone"}
{"text":"mp3 or flac?"}
IN
cat >want <<'OUT'
task simple other 6ft in metres
task simple other 75kg in stone
chat conversation none mp3 or flac?
OUT
check 'classify glued units' 'classify --no-model <in >out'
check 'their labels' 'jq -r "[.intent, .tier, .task_type, .text] | join(\" \")" out >got'
compare want got '6ft in metres converts; mp3 is no unit'

# answers to an offer, pings and request forms in the languages the bot
# may be spoken to in
cat >in <<'IN'
{"text":"d'accord, fais-le"}
{"text":"да, давай"}
{"text":"нет, не надо"}
{"text":"pas maintenant"}
{"text":"annule la traduction"}
{"text":"wie weit bist du mit der tabelle?"}
{"text":"por favor traduce esto al inglés"}
{"text":"不用了 thanks"}
{"text":"取消这个任务"}
{"text":"haan kar do"}
{"text":"nggak usah, makasih"}
{"text":"batalin laporannya"}
{"text":"rapor ne durumda?"}
{"text":"znajdź mi tanie mieszkanie w krakowie"}
IN
cat >want <<'OUT'
confirm d'accord, fais-le
confirm да, давай
decline нет, не надо
decline pas maintenant
cancel annule la traduction
status wie weit bist du mit der tabelle?
task por favor traduce esto al inglés
decline 不用了 thanks
cancel 取消这个任务
confirm haan kar do
decline nggak usah, makasih
cancel batalin laporannya
status rapor ne durumda?
task znajdź mi tanie mieszkanie w krakowie
OUT
check 'classify answers in other languages' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'oui, да, нет, annule, wie weit bist du, por favor read as in English'

# whether a thing of the world is still or again as it was, or down for
# everyone, is looked up (the type of a lookup phrase is the model's);
# of our work it is status
cat >in <<'IN'
{"text":"is the a1 still closed"}
{"text":"is ticketmaster working again"}
{"text":"is slack down or is it just me"}
{"text":"tide times brighton"}
{"text":"whats the postcode for the HMRC office in bootle"}
{"text":"is job 12 still running?"}
{"text":"is my export still running"}
{"text":"too editorialized? \"the council once again punted, still closed to ideas\""}
IN
cat >want <<'OUT'
task search is the a1 still closed
task search is ticketmaster working again
task other is slack down or is it just me
task other tide times brighton
task other whats the postcode for the HMRC office in bootle
status none is job 12 still running?
status none is my export still running
OUT
check 'classify the world asked after' 'classify --no-model <in >out'
check 'their labels' 'jq -r "select(.text | startswith(\"too\") | not) | [.intent, .task_type, .text] | join(\" \")" out >got'
compare want got 'is the a1 still closed, is slack down or is it just me look up; is job 12 still running asks status'
check 'a quoted again is not asked' 'jq -r "select(.text | startswith(\"too\")) | .task_type" out >got && test "$(cat got)" != search'

# time zones and the time at a place convert; a link's own words order
# nothing; "over the" is no status; requests and reminders in other
# languages are work
cat >in <<'IN'
{"text":"9am PT in KST?"}
{"text":"whats 9pm eastern in pacific"}
{"text":"tokyo time"}
{"text":"check out this article on bees https://www.bee-research.org/articles/varroa"}
{"text":"what is the difference between a list and a tuple, and why choose one over the other?"}
{"text":"traduce esto al inglés: \"el tren llega tarde\""}
{"text":"recordame a las 8 llamar al médico"}
{"text":"busca vuelos baratos de Madrid a Lisboa"}
IN
cat >want <<'OUT'
task simple other 9am PT in KST?
task simple other whats 9pm eastern in pacific
task simple other tokyo time
chat conversation none check out this article on bees https://www.bee-research.org/articles/varroa
chat conversation none what is the difference between a list and a tuple, and why choose one over the other?
task simple other traduce esto al inglés: "el tren llega tarde"
task simple other recordame a las 8 llamar al médico
task complex search busca vuelos baratos de Madrid a Lisboa
OUT
check 'classify zones, links, prepositions, other languages' 'classify --no-model <in >out'
check 'their labels' 'jq -r "[.intent, .tier, .task_type, .text] | join(\" \")" out >got'
compare want got '9am PT in KST converts, tokyo time is the time there; a link does not order; busca searches'

# a mention of us says whom the message is to, not what it asks; one of
# someone else may be said to them (an address in an email is no mention)
cat >in <<'IN'
{"text":"@tgp_bot yes"}
{"text":"@TGP_bot, how is the report going?"}
{"text":"@lena could you review my PR"}
{"text":"email ann@example.com the invoice"}
IN
cat >want <<'OUT'
confirm @tgp_bot yes
status @TGP_bot, how is the report going?
chat @lena could you review my PR
task email ann@example.com the invoice
OUT
check 'classify mentions' 'classify --no-model --bot-username tgp_bot <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got '@tgp_bot yes confirms'

# a piece of writing named, then what it is about or for, is a short
# piece to write; a question about something only opens one
cat >in <<'IN'
{"text":"a haiku about mondays"}
{"text":"slogan for a taxi company"}
{"text":"a question about taxes"}
IN
cat >want <<'OUT'
task simple other a haiku about mondays
task simple other slogan for a taxi company
chat conversation none a question about taxes
OUT
check 'classify pieces named' 'classify --no-model <in >out'
check 'their labels' 'jq -r "[.intent, .tier, .task_type, .text] | join(\" \")" out >got'
compare want got 'a haiku about mondays is a piece to write; a question about taxes is not'

# thanks, then a but, declines; disregard calls off; pings in other
# words; a link's words do not size the work
cat >in <<'IN'
{"text":"thank you, but the publisher already sent us parts"}
{"text":"thanks, but could you also add the totals"}
{"text":"Please disregard the flights request, he's not going after all."}
{"text":"Abeg stop the scholarship search"}
{"text":"did the companies house search turn up anything?"}
{"text":"c'est bon, t'as fini le rapport ?"}
{"text":"summarise this article in 3 bullet points https://www.bbc.co.uk/news/articles/c9w1x2y3z4o"}
IN
cat >want <<'OUT'
decline conversation thank you, but the publisher already sent us parts
task simple thanks, but could you also add the totals
cancel conversation Please disregard the flights request, he's not going after all.
cancel conversation Abeg stop the scholarship search
status conversation did the companies house search turn up anything?
status conversation c'est bon, t'as fini le rapport ?
task simple summarise this article in 3 bullet points https://www.bbc.co.uk/news/articles/c9w1x2y3z4o
OUT
check 'classify thanks but, disregard, pings, links' 'classify --no-model <in >out'
check 'their labels' 'jq -r "[.intent, .tier, .text] | join(\" \")" out >got'
compare want got 'thank you, but ... declines; disregard the X cancels; a link does not make work complex'

# a word neither the rules nor WordNet know, one letter from one word of
# the rules, is read as that word; words spelt as said are read as meant
cat >in <<'IN'
{"text":"serch for cheap flights to rome"}
{"text":"wat is 15 precent of 60 pownds"}
{"text":"hav you finished the leter yet"}
{"text":"trudy is coming over"}
IN
cat >want <<'OUT'
task search serch for cheap flights to rome
task other wat is 15 precent of 60 pownds
status none hav you finished the leter yet
chat none trudy is coming over
OUT
check 'classify typos' 'classify --no-model <in >out'
check 'their labels' 'jq -r "[.intent, .task_type, .text] | join(\" \")" out >got'
compare want got 'serch searches, precent is percent, wat is what; a name stays a name'
check 'without WordNet no word is taken for a typo' \
	'echo "{\"text\":\"serch for cheap flights to rome\"}" | WNSEARCHDIR=$T/none classify --no-model | jq -r .intent >got && test "$(cat got)" = chat'

# a thing shown with "have a look", kind words then a but, greetings of
# the season, pings in other words
cat >in <<'IN'
{"text":"Have a look at this, it's rather wonderful https://www.britishmuseum.org/collection/object/H_1994"}
{"text":"That's very kind, but my cousin has already written to the parish."}
{"text":"Ramadan Kareem to you and all the team"}
{"text":"rain all week. nobody skates in the rain. dead shop"}
{"text":"Have the vendor emails gone out?"}
{"text":"hey whatd you come up with on that fuel spreadsheet"}
{"text":"la2 shokran"}
IN
cat >want <<'OUT'
chat Have a look at this, it's rather wonderful https://www.britishmuseum.org/collection/object/H_1994
decline That's very kind, but my cousin has already written to the parish.
chat Ramadan Kareem to you and all the team
chat rain all week. nobody skates in the rain. dead shop
status Have the vendor emails gone out?
status hey whatd you come up with on that fuel spreadsheet
decline la2 shokran
OUT
check 'classify have a look, kind buts, greetings, pings' 'classify --no-model <in >out'
check 'their intents' 'jq -r "[.intent, .text] | join(\" \")" out >got'
compare want got 'have a look at this <link> is chat; that is very kind, but ... declines'

#!/bin/sh
# classify --reply: is the bot's own reply a promise of later work?
. "$(dirname "$0")/lib.sh"
plan 25

cat >in <<'IN'
{"text":"PROMISE_CREATED:42|I'll work on that coding task for you."}
{"text":"ASYNC_PROMISE|Working on this in background..."}
{"text":"Sure.\nPROMISE_CREATED:abc-1|Started"}
{"text":"Let me work on that and get back to you."}
{"text":"If you want, I can work on it in the background. Sound good?"}
{"text":"I fixed it."}
{"text":"I won't follow up on that."}
IN
cat >want <<'OUT'
{"text":"PROMISE_CREATED:42|I'll work on that coding task for you.","promised":true,"promise_marker":"PROMISE_CREATED","promise_id":42,"promise_text":"I'll work on that coding task for you."}
{"text":"ASYNC_PROMISE|Working on this in background...","promised":true,"promise_marker":"ASYNC_PROMISE","promise_text":"Working on this in background..."}
{"text":"Sure.\nPROMISE_CREATED:abc-1|Started","promised":true,"promise_marker":"PROMISE_CREATED","promise_id":"abc-1","promise_text":"Started"}
{"text":"Let me work on that and get back to you.","promised":true,"promise_marker":null}
{"text":"If you want, I can work on it in the background. Sound good?","promised":false,"promise_marker":null}
{"text":"I fixed it.","promised":false,"promise_marker":null}
{"text":"I won't follow up on that.","promised":false,"promise_marker":null}
OUT
check '--reply classifies replies' 'classify --reply <in >out'
compare want out 'promises, markers and their parts; offers and past work are not promises'

printf '%s\n' '{"text":"I will report back soon","promised":false,"promise_marker":"x","promise_id":1}' >in
printf '%s\n' '{"text":"I will report back soon","promised":true,"promise_marker":null}' >want
check '--reply on a line already tagged' 'classify --reply <in >out'
compare want out 'old promise fields are replaced'

# the rules alone: a will that foretells, or a commitment undone (stop,
# leave it), promises nothing; work under way in other words does
cat >in <<'IN'
{"text":"It'll rain tomorrow, so maybe bring an umbrella."}
{"text":"Noted, I'll stop there. The partial results are above."}
{"text":"Okay, I'll leave it as it is."}
{"text":"Starting on the newsletter draft. Should be ready before lunch."}
{"text":"I'm on the case. Updates to come."}
{"text":"I'll send the report tomorrow."}
IN
cat >want <<'OUT'
false It'll rain tomorrow, so maybe bring an umbrella.
false Noted, I'll stop there. The partial results are above.
false Okay, I'll leave it as it is.
true Starting on the newsletter draft. Should be ready before lunch.
true I'm on the case. Updates to come.
true I'll send the report tomorrow.
OUT
check '--reply, the rules alone' 'classify --reply --no-model <in >out'
check 'what they say' 'jq -r "[(.promised | tostring), .text] | join(\" \")" out >got'
compare want got 'a will that foretells or a commitment undone promises nothing'


# what the listener will have from us, and by when, is a promise; what
# the listener will have to do is not
cat >in <<'IN'
{"text":"You'll have the Pruitt closing outline before your 4pm."}
{"text":"I should be able to get the comps to you by early afternoon."}
{"text":"yes chef, prep list incoming"}
{"text":"You'll have to run it again after the update."}
IN
cat >want <<'OUT'
true You'll have the Pruitt closing outline before your 4pm.
true I should be able to get the comps to you by early afternoon.
true yes chef, prep list incoming
false You'll have to run it again after the update.
OUT
check '--reply, what the listener will have' 'classify --reply --no-model <in >out'
check 'what they say' 'jq -r "[(.promised | tostring), .text] | join(\" \")" out >got'
compare want got 'you will have it before your 4pm promises; you will have to run it does not'

# a will said of others (it, nothing more) foretells; u'll have it
# tonight is ours
cat >in <<'IN'
{"text":"It'll probably rain in Sintra on the 14th, so keep the church option ready."}
{"text":"I'll stop the Biscay research here, nothing more will run."}
{"text":"bet, writing the gatsby outline rn, u'll have it tonight"}
IN
cat >want <<'OUT'
false It'll probably rain in Sintra on the 14th, so keep the church option ready.
false I'll stop the Biscay research here, nothing more will run.
true bet, writing the gatsby outline rn, u'll have it tonight
OUT
check '--reply, wills of others' 'classify --reply --no-model <in >out'
check 'what they say' 'jq -r "[(.promised | tostring), .text] | join(\" \")" out >got'
compare want got 'nothing more will run foretells; u will have it tonight promises'

# a will said of a thing named is the model's to read; work being done
# now, or coming, or due, promises; a thing running is no work of ours
cat >in <<'IN'
{"text":"The update will restart your laptop, so save your work first."}
{"text":"np! rewriting the intro now, new version in like 10"}
{"text":"Alright, I'm cleaning the dataset now."}
{"text":"Hang tight, generating the invoices."}
{"text":"Summary coming before 3pm."}
{"text":"Should have it by end of day."}
{"text":"No tasks are running right now."}
{"text":"I'm feeling much better now, thanks."}
IN
cat >want <<'OUT'
false The update will restart your laptop, so save your work first.
true np! rewriting the intro now, new version in like 10
true Alright, I'm cleaning the dataset now.
true Hang tight, generating the invoices.
true Summary coming before 3pm.
true Should have it by end of day.
false No tasks are running right now.
false I'm feeling much better now, thanks.
OUT
check '--reply, things that will, work done now' 'classify --reply --no-model <in >out'
check 'what they say' 'jq -r "[(.promised | tostring), .text] | join(\" \")" out >got'
compare want got 'the update will restart foretells; rewriting the intro now promises'

# the bot may answer in the user's language: a first person that
# reports back promises, in any case of the letters; an offer does not
cat >in <<'IN'
{"text":"Vou verificar e te aviso."}
{"text":"Je vais traduire le résumé et vous l'envoyer d'ici ce soir."}
{"text":"JE TE PRÉVIENS DÈS QUE C'EST EN LIGNE."}
{"text":"Хорошо, ПОДГОТОВЛЮ отчёт и пришлю до вечера."}
{"text":"Si quieres, te lo mando mañana."}
{"text":"El museo abre a las diez."}
{"text":"해결되면 바로 알려드릴게요."}
{"text":"好的，我现在就开始整理，明天上午发给你。"}
{"text":"確認して、後ほどご連絡します。"}
{"text":"Tamam, hemen hallediyorum, akşama gönderirim."}
{"text":"Được, tôi sẽ gửi cho bạn trước 5 giờ chiều."}
{"text":"no wahala, I go send am before evening"}
{"text":"Sawa, ninaanza sasa na nitakujulisha nikimaliza."}
{"text":"Oke, saya kerjakan sekarang, nanti saya kabari kalau sudah selesai."}
{"text":"theek hai, main abhi kar raha hoon, ho jaane par bata dunga"}
{"text":"The translation will be done in about 20 minutes."}
{"text":"Leave it with me."}
{"text":"Добре, шукаю квартири в Кракові, надішлю список, щойно він буде готовий."}
{"text":"Sto preparando gli altri due giorni, te li mando appena pronti."}
{"text":"This will take a little while; I will list any discrepancies when I am done."}
{"text":"ok! writing the page copy, will drop it in #jam-chat in ~20 min"}
{"text":"gimme a sec, pulling the METAR"}
{"text":"Yes, I'll remind you at 5:45 to start the night audit."}
IN
cat >want <<'OUT'
true Vou verificar e te aviso.
true Je vais traduire le résumé et vous l'envoyer d'ici ce soir.
true JE TE PRÉVIENS DÈS QUE C'EST EN LIGNE.
true Хорошо, ПОДГОТОВЛЮ отчёт и пришлю до вечера.
false Si quieres, te lo mando mañana.
false El museo abre a las diez.
true 해결되면 바로 알려드릴게요.
true 好的，我现在就开始整理，明天上午发给你。
true 確認して、後ほどご連絡します。
true Tamam, hemen hallediyorum, akşama gönderirim.
true Được, tôi sẽ gửi cho bạn trước 5 giờ chiều.
true no wahala, I go send am before evening
true Sawa, ninaanza sasa na nitakujulisha nikimaliza.
true Oke, saya kerjakan sekarang, nanti saya kabari kalau sudah selesai.
true theek hai, main abhi kar raha hoon, ho jaane par bata dunga
true The translation will be done in about 20 minutes.
true Leave it with me.
true Добре, шукаю квартири в Кракові, надішлю список, щойно він буде готовий.
true Sto preparando gli altri due giorni, te li mando appena pronti.
true This will take a little while; I will list any discrepancies when I am done.
true ok! writing the page copy, will drop it in #jam-chat in ~20 min
true gimme a sec, pulling the METAR
true Yes, I'll remind you at 5:45 to start the night audit.
OUT
check '--reply, in other languages' 'classify --reply --no-model <in >out'
check 'what they say' 'jq -r "[(.promised | tostring), .text] | join(\" \")" out >got'
compare want got 'te aviso, je vais ... ce soir, gimme a sec, I will remind you promise, in capitals too; si quieres offers'

# a promise that waits on the listener first is no promise yet, however
# sure the model; giving us a few minutes is no such wait
cat >in <<'IN'
{"text":"Once you send the file, I'll go through it."}
{"text":"As soon as you confirm the dates, I'll start searching for flights."}
{"text":"Send me the CV and I'll have a look."}
{"text":"Give me ten minutes and I'll have the numbers."}
{"text":"I'll write up the minutes now and email them once you've approved them."}
IN
cat >want <<'OUT'
false Once you send the file, I'll go through it.
false As soon as you confirm the dates, I'll start searching for flights.
false Send me the CV and I'll have a look.
true Give me ten minutes and I'll have the numbers.
true I'll write up the minutes now and email them once you've approved them.
OUT
check '--reply, waiting on the listener' 'classify --reply <in >out'
check 'what they say' 'jq -r "[(.promised | tostring), .text] | join(\" \")" out >got'
compare want got 'once you send the file, I will... waits; give me ten minutes and I will... promises'

# time asked for to do the work, work being done now in Spanish, a
# report back in Italian promise; a choice left to the listener does not
cat >in <<'IN'
{"text":"Happy to! Give me about an hour for the newsletter draft."}
{"text":"Buscando vuelos ahora mismo 🔍"}
{"text":"Perfetto, inizio subito la ricerca e ti scrivo appena ho qualcosa."}
{"text":"I'll let you pick the font."}
{"text":"Give me a call if you need anything."}
IN
cat >want <<'OUT'
true Happy to! Give me about an hour for the newsletter draft.
true Buscando vuelos ahora mismo 🔍
true Perfetto, inizio subito la ricerca e ti scrivo appena ho qualcosa.
false I'll let you pick the font.
false Give me a call if you need anything.
OUT
check '--reply, time asked for, choices left' 'classify --reply --no-model <in >out'
check 'what they say' 'jq -r "[(.promised | tostring), .text] | join(\" \")" out >got'
compare want got 'give me about an hour promises; I will let you pick does not'

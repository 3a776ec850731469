// A customer's script written against the SMS-Activate protocol, run unmodified against FetchSMS by changing only
// the base URL: the published client hero-sms (pinned in package.json / package-lock.json) does every call.
//
// node scenario.mjs <base URL> <API key> <API key of an account with no money>
//
// It prints one line per step (`STEP value…`) for the e2e test (SmsActivateClientTest), which reads them and, when a
// line says a number is waiting for a code, delivers that SMS through a modem gateway. Every wait is bounded.
import { HeroSMSClient } from 'hero-sms'

const [baseUrl, apiKey, poorKey] = process.argv.slice(2)
const endpoint = `${baseUrl}/stubs/handler_api.php`
const client = new HeroSMSClient({ apiKey, baseUrl: endpoint, timeout: 10000 })
const USA = 187
const say = (...parts) => console.log(parts.join(' '))
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

/** The protocol word a refused call answered (hero-sms throws it as an error carrying the raw answer). */
async function refusal (call) {
  try {
    const answer = await call()
    return `ANSWERED:${JSON.stringify(answer)}`
  } catch (error) {
    return error.rawResponse ?? error.code ?? String(error)
  }
}

/** Polls getStatus until it answers `wanted`, for at most 30 s. */
async function awaitStatus (id, wanted) {
  const deadline = Date.now() + 30000
  let last
  while (Date.now() < deadline) {
    last = await client.getStatus(id)
    if (last.status === wanted) return last
    await sleep(200)
  }
  throw new Error(`activation ${id}: still ${JSON.stringify(last)} after 30 s, wanted ${wanted}`)
}

try {
  say('BALANCE', await client.getBalance())

  // refusals, in the protocol's own words
  say('REFUSED', 'bad-key', await refusal(() =>
    new HeroSMSClient({ apiKey: 'fsk_live_this_key_does_not_exist_00000000', baseUrl: endpoint }).getBalance()))
  say('REFUSED', 'bad-service', await refusal(() => client.getNumber({ service: 'zz', country: USA })))
  say('REFUSED', 'other-country', await refusal(() => client.getNumber({ service: 'tg', country: 0 })))
  say('REFUSED', 'no-balance', await refusal(() =>
    new HeroSMSClient({ apiKey: poorKey, baseUrl: endpoint }).getNumber({ service: 'tg', country: USA })))

  const prices = await client.getPrices({ service: 'tg', country: USA })
  say('PRICE', prices[String(USA)].tg.cost)

  // buy, receive a code, ask for another, receive it, finish
  const { activationId, phoneNumber } = await client.getNumber({ service: 'tg', country: USA })
  await client.markReady(activationId)
  say('NUMBER', activationId, phoneNumber)
  const first = await awaitStatus(activationId, 'STATUS_OK')
  say('CODE', first.code)
  say('RETRY', await client.requestResend(activationId))
  const retrying = await client.getStatus(activationId)
  say('WAITING', retrying.status, retrying.code)
  const second = await awaitStatus(activationId, 'STATUS_OK')
  say('CODE', second.code)
  say('COMPLETE', await client.complete(activationId))

  // buy another and cancel it: refunded (the refund is booked by the wallet a moment later: wait for it, 30 s at most)
  const beforeOther = await client.getBalance()
  const other = await client.getNumber({ service: 'tg', country: USA })
  say('BOUGHT', other.activationId, other.phoneNumber)
  say('CANCEL', await client.cancel(other.activationId))
  say('STATUS', (await client.getStatus(other.activationId)).status)
  let balance = await client.getBalance()
  for (const deadline = Date.now() + 30000; balance !== beforeOther && Date.now() < deadline;) {
    await sleep(200)
    balance = await client.getBalance()
  }

  say('BALANCE', balance)
  say('DONE')
} catch (error) {
  say('FAILED', error.rawResponse ?? '', error.message)
  process.exitCode = 1
}

import t from 'tap'
import { ConfigError, loadConfig, localBaseUrl } from '../src/config.js'

t.test('defaults need no environment at all', async (t) => {
  const config = loadConfig({})
  t.match(config, { PORT: 3000, HOST: '127.0.0.1', DATA_DIR: './data', TZ_NAME: 'Europe/London', LOG_LEVEL: 'info', TRUST_PROXY: false })
  t.equal(config.DATABASE_URL, undefined, 'embedded database by default')
})

t.test('values are converted to their types', async (t) => {
  const config = loadConfig({ PORT: '8080', TRUST_PROXY: '2', DATABASE_URL: 'postgres://app@db.internal:5432/pay', LOG_LEVEL: 'warn', BODY_LIMIT_BYTES: '' })
  t.match(config, { PORT: 8080, TRUST_PROXY: 2, LOG_LEVEL: 'warn', BODY_LIMIT_BYTES: 1_048_576 })
  t.equal(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY, true)
})

t.test('a bad value is refused with a message naming the variable', async (t) => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'eighty' }, /^ {2}PORT: /m],
    [{ PORT: '70000' }, /PORT: /],
    [{ DATABASE_URL: 'mysql://root@localhost/x' }, /DATABASE_URL: /],
    [{ DATABASE_URL: 'postgres://' }, /DATABASE_URL: not a valid postgres:\/\/ URL/],
    [{ LOG_LEVEL: 'chatty' }, /LOG_LEVEL: /],
    [{ TZ_NAME: 'Europe/Atlantis' }, /TZ_NAME: not a known IANA time zone/],
    [{ REQUIRE_DATABASE_URL: 'true' }, /DATABASE_URL: required when REQUIRE_DATABASE_URL is true/],
    [{ BODY_LIMIT_BYTES: '-1' }, /BODY_LIMIT_BYTES: /]
  ]
  for (const [env, message] of cases) {
    t.throws(() => loadConfig(env), ConfigError, JSON.stringify(env))
    try { loadConfig(env) } catch (error) { t.match((error as Error).message, message) }
  }
  try {
    loadConfig({ DATABASE_URL: 'mysql://root:hunter2@localhost/x', PORT: 'x' })
  } catch (error) {
    const problems = (error as ConfigError).problems
    t.equal(problems.length, 2, 'every bad variable is named at once')
    t.notMatch((error as Error).message, /hunter2/, 'a database password is never echoed')
  }
})

t.test('the base URL a client on this machine uses follows HOST and PORT', async (t) => {
  const base = (env: Record<string, string>) => localBaseUrl(loadConfig(env))
  t.equal(base({}), 'http://127.0.0.1:3000')
  t.equal(base({ PORT: '8080' }), 'http://127.0.0.1:8080')
  t.equal(base({ HOST: '0.0.0.0', PORT: '3001' }), 'http://127.0.0.1:3001', 'all IPv4 interfaces: loopback')
  t.equal(base({ HOST: '::' }), 'http://[::1]:3000', 'all IPv6 interfaces: loopback, in brackets')
  t.equal(base({ HOST: 'fd00::5' }), 'http://[fd00::5]:3000')
  t.equal(base({ HOST: 'pay.internal' }), 'http://pay.internal:3000')
})

import { Writable } from 'node:stream'
import type { Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { openDatabase } from '../../src/db/open.js'
import { createLogger } from '../../src/logger.js'
import type { Harness, TestApp } from './app.js'
import { serverAddressOf, startTcpProxy, urlThroughProxy, type TcpProxy } from './tcp-proxy.js'

export interface ProxiedApp {
  /** A second, complete app over the harness's database, reaching Postgres only through `proxy`. */
  app: TestApp
  proxy: TcpProxy
  /** The application_name of the proxied app's connections (to find them in pg_stat_activity). */
  applicationName: string
}

/**
 * The same service over the same test database, but connected through a TCP proxy the test
 * controls (server pass only). Fixtures are still made through the harness's own connection,
 * which never passes the proxy, so the test can read the database while the proxy is down.
 */
export async function buildProxiedApp (t: Test, h: Harness, options: { poolMax?: number, connectTimeoutS?: number, inspect?: boolean } = {}): Promise<ProxiedApp> {
  const url = h.database.url
  if (url === undefined) throw new Error('a proxied app needs a Postgres server (DATABASE_URL)')
  const proxy = await startTcpProxy(serverAddressOf(url), { inspect: options.inspect ?? false })
  const applicationName = `${new URL(url).pathname.slice(1)}_proxied`
  const database = await openDatabase({
    url: urlThroughProxy(url, proxy),
    poolMax: options.poolMax ?? 10,
    statementTimeoutMs: 15_000,
    connectTimeoutS: options.connectTimeoutS ?? 5,
    applicationName
  })
  // Its logs are dropped: the outage makes one error line per failed request.
  const discard = new Writable({ write (_chunk, _encoding, done) { done() } })
  const app = await buildApp({ config: h.config, database, logger: createLogger(h.config.LOG_LEVEL, discard) })
  await app.ready()
  t.teardown(async () => {
    await proxy.up()
    await app.close()
    await proxy.close()
  })
  return { app, proxy, applicationName }
}

import { existsSync, readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { chromium } from 'playwright-core'
import { build } from '../helpers/app.js'

/**
 * /docs in a real browser, reached by a host name that is not localhost, over plain HTTP, as a
 * browser reaches the container (`http://host:3000/docs`). Browsers treat localhost and 127.0.0.0/8
 * as secure, so only a real name shows a policy that upgrades the UI's scripts to https (the page
 * stayed blank). The name is mapped to the loopback address inside the browser: nothing leaves
 * the machine.
 */
const chromiumPath = '/usr/bin/chromium'
const hostName = 'sessional-pay.test'

const documented = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, unknown>>
}
const operations = Object.values(documented.paths)
  .flatMap((item) => Object.keys(item).filter((method) => ['get', 'put', 'post', 'patch', 'delete'].includes(method)))
  .length

// Starting Chromium and rendering the UI's 1 MB bundle takes a while on a busy machine.
t.setTimeout(300_000)

const skip = existsSync(chromiumPath)
  ? false
  : `Debian chromium is not installed (${chromiumPath}): apt-get install -y chromium (.ci/run installs it)`

t.test(`the Swagger UI renders every operation at http://${hostName}:<port>/docs`, { skip }, async (t) => {
  const h = await build(t, { env: { LOG_LEVEL: 'silent' } })
  await h.app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = h.app.server.address() as AddressInfo

  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--host-resolver-rules=MAP ${hostName} 127.0.0.1`
    ]
  })
  t.teardown(() => browser.close())
  const page = await browser.newPage()
  const requested: string[] = []
  const failed: string[] = []
  page.on('request', (request) => { requested.push(request.url()) })
  page.on('requestfailed', (request) => { failed.push(`${request.url()}: ${request.failure()?.errorText ?? '?'}`) })

  const base = `http://${hostName}:${port}`
  const response = await page.goto(`${base}/docs`)
  t.equal(response?.status(), 200, 'the page answers')
  // Waits for the rendered operations (an observed state) or the first failed request, bounded.
  const outcome = await Promise.race([
    page.locator('.opblock').nth(operations - 1).waitFor({ timeout: 60_000 }).then(() => 'rendered'),
    page.waitForEvent('requestfailed', { timeout: 60_000 }).then(() => 'a request failed', () => 'rendered')
  ])
  t.equal(outcome, 'rendered', 'the operations render before any request fails')
  t.equal(await page.locator('.opblock').count(), operations, `all ${operations} documented operations are shown`)
  t.equal(await page.locator('.info .title').first().textContent().then((text) => text?.startsWith('Sessional Pay')), true,
    'the document title is shown')

  // An operation opened shows its realistic request example and response example, not "string".
  const createEntry = page.locator('#operations-entries-createEntry')
  await createEntry.locator('.opblock-summary').click()
  const body = createEntry.locator('.body-param__example, .model-example .microlight').first()
  await body.waitFor({ timeout: 30_000 })
  t.match(await createEntry.textContent(), /Interview panel for the new youth worker post/, 'createEntry shows its request example')
  t.match(await createEntry.textContent(), /"grossPence": 3625/, 'and an example of the entry it answers')

  t.same(failed, [], 'no request failed')
  t.same(requested.filter((url) => !url.startsWith(`${base}/`)), [], 'every request went to the service over plain http')
  t.ok(requested.some((url) => url.endsWith('/docs/static/swagger-ui-bundle.js')), 'the UI\'s script was fetched')
})

import net from 'node:net'

/**
 * A TCP proxy between the service and its Postgres server, so a test can make "the database
 * went away" without touching the shared server other test files are using. `down()` does what
 * a stopped server does to its clients: every open connection is cut and the port refuses new
 * ones (ECONNREFUSED); `up()` listens again on the same port, as a restarted server would.
 */
export interface TcpProxy {
  /** The local port to connect to instead of the server's. */
  readonly port: number
  /** Connections accepted and carried through to the server, since the start. */
  readonly accepted: number
  /** Open connections cut by `down()`. */
  readonly cut: number
  readonly isUp: boolean
  down (): Promise<void>
  /**
   * Resets every open connection (TCP RST towards the client, which sees ECONNRESET: its
   * socket errors first and closes a moment later) and keeps accepting new ones.
   */
  reset (): number
  /**
   * The next time the server answers a COMMIT (it has committed), that answer is not passed on
   * and the client's connection is reset: the client cannot know the commit happened. Needs
   * `{ inspect: true }`. Resolves when it has happened.
   */
  swallowNextCommit (): Promise<void>
  up (): Promise<void>
  close (): Promise<void>
}

/**
 * Passes the server's messages on one at a time, so a test can act on one (type byte, length,
 * body: every message the server sends after the client's startup message has that form).
 */
function inspectServerMessages (upstream: net.Socket, client: net.Socket, onMessage: (type: string, body: Buffer) => 'pass' | 'cut'): void {
  let pending = Buffer.alloc(0)
  upstream.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk])
    let offset = 0
    while (pending.length - offset >= 5) {
      const end = offset + 1 + pending.readInt32BE(offset + 1)
      if (pending.length < end) break
      if (onMessage(String.fromCharCode(pending[offset]!), pending.subarray(offset + 5, end)) === 'cut') {
        client.write(pending.subarray(0, offset), () => client.resetAndDestroy())
        upstream.destroy()
        pending = Buffer.alloc(0)
        return
      }
      offset = end
    }
    if (offset > 0) client.write(pending.subarray(0, offset))
    pending = pending.subarray(offset)
  })
}

export async function startTcpProxy (target: { host: string, port: number }, options: { inspect?: boolean } = {}): Promise<TcpProxy> {
  const open = new Set<net.Socket>()
  const clients = new Set<net.Socket>()
  let accepted = 0
  let cut = 0
  let commitArmed: (() => void) | undefined
  let server: net.Server | undefined
  let port = 0

  const listen = async (): Promise<void> => {
    const next = net.createServer((client) => {
      accepted++
      const upstream = net.connect(target.port, target.host)
      open.add(client)
      open.add(upstream)
      clients.add(client)
      const forget = (): void => {
        clients.delete(client)
        open.delete(client)
        open.delete(upstream)
        client.destroy()
        upstream.destroy()
      }
      client.on('error', forget).on('close', forget)
      upstream.on('error', forget).on('close', forget)
      client.pipe(upstream)
      if (options.inspect !== true) upstream.pipe(client)
      else {
        inspectServerMessages(upstream, client, (type, body) => {
          if (commitArmed === undefined || type !== 'C' || body.toString('latin1', 0, 6) !== 'COMMIT') return 'pass'
          const done = commitArmed
          commitArmed = undefined
          setImmediate(done)
          return 'cut'
        })
      }
    })
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject)
      next.listen(port, '127.0.0.1', () => { next.off('error', reject); resolve() })
    })
    port = (next.address() as net.AddressInfo).port
    server = next
  }

  const stop = async (): Promise<void> => {
    const current = server
    server = undefined
    if (current === undefined) return
    const closed = new Promise<void>((resolve) => current.close(() => resolve()))
    // Both halves of every connection: the client sees its socket closed mid-conversation.
    cut += [...open].filter((socket) => socket.remoteAddress !== undefined && socket.localPort === port).length
    for (const socket of open) socket.destroy()
    open.clear()
    clients.clear()
    await closed
  }

  await listen()
  return {
    get port () { return port },
    get accepted () { return accepted },
    get cut () { return cut },
    get isUp () { return server !== undefined },
    down: stop,
    swallowNextCommit () {
      if (options.inspect !== true) throw new Error('swallowNextCommit needs a proxy started with { inspect: true }')
      return new Promise<void>((resolve) => { commitArmed = resolve })
    },
    reset () {
      const reset = [...clients]
      for (const client of reset) client.resetAndDestroy()
      return reset.length
    },
    async up () { if (server === undefined) await listen() },
    close: stop
  }
}

/** The same database URL, reached through the proxy. */
export function urlThroughProxy (url: string, proxy: TcpProxy): string {
  const parsed = new URL(url)
  parsed.hostname = '127.0.0.1'
  parsed.port = String(proxy.port)
  return parsed.toString()
}

/** Host and port of a postgres:// URL (the default port when it names none). */
export function serverAddressOf (url: string): { host: string, port: number } {
  const parsed = new URL(url)
  return { host: parsed.hostname === '' ? '127.0.0.1' : parsed.hostname, port: parsed.port === '' ? 5432 : Number(parsed.port) }
}

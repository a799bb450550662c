import net from 'node:net'

export interface RawResult {
  /** Everything the server wrote back. */
  response: string
  /** The server closed the connection. */
  closed: boolean
  /** Nothing ended the exchange before the guard: the test gave up (a hang, not an answer). */
  timedOut: boolean
}

/** Whether `response` holds a whole HTTP response (headers and a Content-Length body). */
function complete (response: string): boolean {
  const end = response.indexOf('\r\n\r\n')
  if (end === -1) return false
  const length = /\r\ncontent-length: *(\d+)/i.exec(response.slice(0, end))?.[1]
  return length !== undefined && Buffer.byteLength(response.slice(end + 4)) >= Number(length)
}

/**
 * Writes raw bytes to the server and waits until it closes the connection (or, with
 * `untilAnswered`, until a whole response has arrived). The guard only stops a hanging test;
 * no assertion is made on how long anything took.
 */
export async function rawExchange (port: number, text: string, options: { waitMs?: number, untilAnswered?: boolean } = {}): Promise<RawResult> {
  const waitMs = options.waitMs ?? 10_000
  return new Promise((resolve) => {
    let response = ''
    let settled = false
    const socket = net.connect(port, '127.0.0.1', () => { socket.write(text) })
    const finish = (result: Omit<RawResult, 'response'>) => {
      if (settled) return
      settled = true
      clearTimeout(guard)
      socket.destroy()
      resolve({ response, ...result })
    }
    const guard = setTimeout(() => finish({ closed: false, timedOut: true }), waitMs)
    socket.on('data', (chunk) => {
      response += chunk.toString('utf8')
      if (options.untilAnswered === true && complete(response)) finish({ closed: false, timedOut: false })
    })
    socket.on('close', () => finish({ closed: true, timedOut: false }))
    socket.on('error', () => { /* a reset is a close; 'close' follows */ })
  })
}

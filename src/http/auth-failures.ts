import { sql } from 'drizzle-orm'
import { rowsOf, type Db } from '../db/open.js'

export interface FailureCount {
  /** Failures from the client in the current window, this one included. */
  failures: number
  /** Seconds until the window ends. */
  retryAfterSeconds: number
}

/**
 * Failed authentications per client address, counted in the database every process of the
 * service shares, so a client that keeps presenting bad keys is limited whichever instance it
 * reaches. One atomic upsert per failure: a row whose window has ended starts again at 1.
 * Expired rows of other clients are swept by the same call.
 */
export async function countFailure (db: Db, client: string, windowMs: number): Promise<FailureCount> {
  const [row] = rowsOf<{ failures: number, retry_after: number | string }>(await db.execute(sql`
    with swept as (
      delete from auth_failures where window_ends_at < now() - interval '1 minute' and client <> ${client}
    )
    insert into auth_failures as f (client, failures, window_ends_at)
    values (${client}, 1, now() + ${windowMs} * interval '1 millisecond')
    on conflict (client) do update set
      failures = case when f.window_ends_at <= now() then 1 else f.failures + 1 end,
      window_ends_at = case when f.window_ends_at <= now() then excluded.window_ends_at else f.window_ends_at end
    returning failures, ceil(extract(epoch from window_ends_at - now()))::int as retry_after`))
  return { failures: row!.failures, retryAfterSeconds: Math.max(1, Number(row!.retry_after)) }
}

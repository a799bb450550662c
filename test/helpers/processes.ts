import { readdirSync, readFileSync } from 'node:fs'

export interface ProcessInfo { pid: number, ppid: number, pgid: number, command: string }

/** Every process on the machine, from /proc (Linux). */
export function processes (): ProcessInfo[] {
  const found: ProcessInfo[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8')
    } catch { continue } // gone since the listing
    // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after the last ')'.
    const close = stat.lastIndexOf(')')
    const [, ppid, pgid] = stat.slice(close + 2).split(' ')
    let command = stat.slice(stat.indexOf('(') + 1, close)
    try {
      command = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim() || command
    } catch {}
    found.push({ pid: Number(name), ppid: Number(ppid), pgid: Number(pgid), command })
  }
  return found
}

/** The process and all its descendants, as they are now. */
export function processTree (root: number): ProcessInfo[] {
  const all = processes()
  const tree = all.filter((p) => p.pid === root)
  for (let i = 0; i < tree.length; i++) tree.push(...all.filter((p) => p.ppid === tree[i]!.pid))
  return tree
}

/** Processes still alive (zombies included) in the group or among the given pids. */
export function survivors (pgid: number, pids: number[]): ProcessInfo[] {
  return processes().filter((p) => p.pgid === pgid || pids.includes(p.pid))
}

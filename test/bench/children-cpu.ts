/** Shared by the benches that time child processes (start-up, validate). */
import { readFileSync } from 'node:fs';

/** CPU time (user + system) of this process's waited-for children, in ms (Linux; else NaN). */
export function childrenCpuMs(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

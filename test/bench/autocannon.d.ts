// autocannon ships no types; the HTTP bench uses only its programmatic entry point.
declare module 'autocannon' {
  const autocannon: (options: Record<string, unknown>) => Promise<{
    latency: Record<string, number>;
    requests: { average: number; total: number };
    non2xx: number;
    errors: number;
  }>;
  export default autocannon;
}

/** Milliseconds since the previous lap (or the start), for a run's phase timings. */
export function phaseClock(now: () => number = () => performance.now()) {
  let last = now();
  return {
    lap(): number {
      const at = now();
      const elapsed = Math.round(at - last);
      last = at;
      return elapsed;
    },
  };
}

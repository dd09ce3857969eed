// A shared once-a-second clock for live read-outs (rates that fade when progress stops, "time left").
class Ticker {
  now = $state(Date.now());
  #users = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** Starts ticking while at least one user holds it; returns the release function (use in an $effect). */
  hold(): () => void {
    if (this.#users++ === 0) this.#timer = setInterval(() => (this.now = Date.now()), 1000);
    return () => {
      if (--this.#users === 0) clearInterval(this.#timer);
    };
  }
}

export const ticker = new Ticker();

/**
 * A pause that lets the event loop run: timers, I/O, a page's repaint and input, Node's signal
 * handlers (Ctrl-C).
 *
 * Why a training loop needs it: awaiting a tensor's `data()` is not enough. On the cpu and wasm
 * backends it resolves as a promise microtask, and microtasks run before the event loop gets a turn,
 * so a loop that only awaits `data()` never lets a SIGINT handler or a click through until it ends.
 */

type Immediate = (callback: () => void) => unknown;

/** Resolves after the event loop has had a turn (`setImmediate` in Node, a message in browsers). */
export function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: Immediate }).setImmediate;
  if (typeof immediate === 'function') return new Promise((resolve) => { immediate(resolve); });
  if (typeof MessageChannel === 'function') {
    // setTimeout(0) is clamped to 4 ms when nested; a message is not.
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => { setTimeout(resolve, 0); });
}

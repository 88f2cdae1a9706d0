/**
 * How the time loops walk memory. Tensors are time-major ([T, n] rows of n neurons). A kernel takes
 * the neurons a tile at a time and runs the whole time axis over that tile before moving on, so the
 * tile's state (a few KiB) stays in L1 while the inputs and outputs stream through once.
 * The backward kernels use a narrower tile: they walk the tile's time axis twice (forward to
 * recompute the trajectory, then in reverse), and the T rows of the tile should stay in L2 between.
 */
export const FORWARD_TILE: i32 = 2048;

/** Time steps a forward kernel's fast path runs with the state in registers (see lif.ts forwardBlock). */
export const BLOCK_STEPS: i32 = 4;
export const BACKWARD_TILE: i32 = 512;

/** The end of the whole vectors of a tile [k0, k1): the last k1 − end (< 4) neurons take the partial path. */
@inline export function fullEnd(k0: i32, k1: i32): i32 {
  return k0 + ((k1 - k0) & ~3);
}

/** Byte offset of neuron k. */
@inline export function at(k: i32): usize {
  return (<usize>k) << 2;
}

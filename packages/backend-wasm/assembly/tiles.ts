/** Byte offset of element k of a float32 or int32 array. */
@inline export function at(k: i32): usize {
  return (<usize>k) << 2;
}

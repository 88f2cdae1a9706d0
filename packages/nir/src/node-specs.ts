/**
 * What each NIR primitive stores, as data: one list of fields per node type (their names in the file
 * and here, and their kinds). The HDF5 reader and writer both walk this table, so a primitive is
 * described once.
 */
import type { NirNodeType } from './graph.js';

/** The kind of a field: a float array, a list of integers, one integer, or a convolution's padding. */
export type FieldKind = 'array' | 'ints' | 'int' | 'padding';

/** One parameter of a node type. */
export interface FieldSpec {
  /** The field's name in the typed node (camelCase). */
  readonly key: string;
  /** The dataset's name in the file (NIR's snake_case). */
  readonly file: string;
  /** What the dataset holds. */
  readonly kind: FieldKind;
  /** For integer lists of a fixed length (strides of a 2-D convolution: 2); a scalar is repeated. */
  readonly length?: number;
  /**
   * What an absent field becomes: `optional` leaves it out; `zerosLike`/`onesLike` fill an array of
   * another field's shape (NIR's default for `v_reset` = 0 and `w_in` = 1); a missing field without
   * a default is an error.
   */
  readonly absent?: { readonly optional: true } | { readonly zerosLike: string } | { readonly onesLike: string };
}

const a = (key: string, file = key): FieldSpec => ({ key, file, kind: 'array' });
const zerosLike = (key: string, file: string, like: string): FieldSpec => ({ key, file, kind: 'array', absent: { zerosLike: like } });
const onesLike = (key: string, file: string, like: string): FieldSpec => ({ key, file, kind: 'array', absent: { onesLike: like } });
const ints = (key: string, file: string, length?: number, optional = false): FieldSpec => ({
  key, file, kind: 'ints', ...(length === undefined ? {} : { length }), ...(optional ? { absent: { optional: true } } : {}),
});
const conv = (d: number): FieldSpec[] => [
  a('weight'), a('bias'), ints('stride', 'stride', d), { key: 'padding', file: 'padding', kind: 'padding', length: d },
  ints('dilation', 'dilation', d), { key: 'groups', file: 'groups', kind: 'int' }, ints('inputShape', 'input_shape', d, true),
];
const pool: FieldSpec[] = [ints('kernelSize', 'kernel_size', 2), ints('stride', 'stride', 2), ints('padding', 'padding', 2)];

/** The fields of every primitive except NIRGraph (whose nodes and edges the codec handles itself). */
export const NODE_SPECS: Readonly<Record<Exclude<NirNodeType, 'NIRGraph'>, readonly FieldSpec[]>> = Object.freeze({
  Input: [ints('shape', 'shape')],
  Output: [ints('shape', 'shape')],
  Affine: [a('weight'), a('bias')],
  Linear: [a('weight')],
  Scale: [a('scale')],
  Conv1d: conv(1),
  Conv2d: conv(2),
  SumPool2d: pool,
  AvgPool2d: pool,
  Flatten: [{ key: 'startDim', file: 'start_dim', kind: 'int' }, { key: 'endDim', file: 'end_dim', kind: 'int' }, ints('inputType', 'input_type', undefined, true)],
  Delay: [a('delay')],
  Threshold: [a('threshold')],
  I: [a('r')],
  IF: [a('r'), a('vThreshold', 'v_threshold'), zerosLike('vReset', 'v_reset', 'vThreshold')],
  LI: [a('tau'), a('r'), a('vLeak', 'v_leak')],
  CubaLI: [a('tauSyn', 'tau_syn'), a('tauMem', 'tau_mem'), a('r'), a('vLeak', 'v_leak'), onesLike('wIn', 'w_in', 'vLeak')],
  LIF: [a('tau'), a('r'), a('vLeak', 'v_leak'), a('vThreshold', 'v_threshold'), zerosLike('vReset', 'v_reset', 'vThreshold')],
  CubaLIF: [
    a('tauSyn', 'tau_syn'), a('tauMem', 'tau_mem'), a('r'), a('vLeak', 'v_leak'), a('vThreshold', 'v_threshold'),
    zerosLike('vReset', 'v_reset', 'vThreshold'), onesLike('wIn', 'w_in', 'vLeak'),
  ],
});

/** Node types whose parameter arrays all share one shape, the neurons' (NIR requires it). */
export const NEURON_TYPES: ReadonlySet<NirNodeType> = new Set(['I', 'IF', 'LI', 'CubaLI', 'LIF', 'CubaLIF']);

/** True for a type name NIR defines. */
export function isNodeType(name: string): name is NirNodeType {
  return name === 'NIRGraph' || Object.prototype.hasOwnProperty.call(NODE_SPECS, name);
}

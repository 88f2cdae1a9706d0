/**
 * @snn/modules — the layer Norse users touch: cells, recurrent cells and sequence layers for every
 * neuron model, `Lift`, `SequentialState`, training helpers and weight saving.
 */
export { Module, type NamedTensors } from './module.js';
export {
  FeedForwardCell, RecurrentCell, isStateful, type CellOptions, type RecurrentCellOptions, type FeedForwardModel,
  type RecurrentModel, type StatefulModule,
} from './cell.js';
export { Lift, asStep, disposeState, type LiftOptions, type LayerLike, type Steppable, type StatelessModule, type RecordedStates } from './lift.js';
export { FeedForwardSequence, RecurrentSequence, type SequenceOptions } from './sequence.js';
export * from './lif.js';

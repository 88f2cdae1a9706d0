/**
 * @snn/modules — the layer Norse users touch: cells, recurrent cells and sequence layers for every
 * neuron model, `Lift`, `SequentialState`, training helpers and weight saving.
 *
 * @module
 */
export { Module, type NamedTensors } from './module.js';
export {
  FeedForwardCell, RecurrentCell, isStateful, type CellOptions, type RecurrentCellOptions, type FeedForwardModel,
  type RecurrentModel, type StatefulModule,
} from './cell.js';
export { Lift, asStep, disposeState, type LiftOptions, type LayerLike, type Steppable, type StatelessModule, type RecordedStates, type SequenceCapable } from './lift.js';
export { FeedForwardSequence, RecurrentSequence, type SequenceOptions } from './sequence.js';
export * from './lif.js';
export { isLayer, type OwnedLayer } from './module.js';
export * from './sequential-state.js';
export * from './recurrent-sequential.js';
export * from './regularization.js';
export * from './decoders.js';
export * from './exp-filter.js';
export * from './lconv2d.js';
export { fit, type Batch, type BatchSource, type BatchLossFn, type FitOptions, type FitCallbacks, type FitControl, type FitHistory, type FitLogs, type LossName, type LossOrMetricFn, type TrainableModel } from './training.js';
export {
  guardGradients, minimizeSafely, computeGradientsSafely, trainStepSafely, assertFiniteLoss, NonFiniteLossError,
  type SafeStepOptions, type StepPosition, type LossAndGradients,
} from './guarded-step.js';
export { yieldToEventLoop } from './yield-to-event-loop.js';
export { DataParallel, checkWorkerCount, type BatchAxes, type DataParallelOptions, type NonFiniteGuard, type StepLogs, type TrainingWorkers } from './data-parallel.js';
export { serveTraining, type BatchObjective, type ObjectiveResult, type ServeTrainingOptions, type TrainingFactory, type TrainingSetup } from './data-parallel-serve.js';
export { activeTrainingWorkers, availableCores, type WorkerLike } from './worker-pool.js';
export { saveWeights, loadWeights, type WeightsLocation, type LoadWeightsOptions } from './save.js';
export { fileWeightsHandler, WEIGHTS_FORMAT, type WeightsManifestFile, type WeightsChecksum } from './weights-file.js';
export * from './lif-box.js';
export * from './leaky-integrator.js';
export * from './leaky-integrator-box.js';
export * from './iaf.js';
export * from './lif-ex.js';
export * from './lif-adex.js';
export * from './lif-refrac.js';
export * from './lif-adex-refrac.js';
export * from './lsnn.js';
export * from './coba-lif.js';
export * from './izhikevich.js';
export * from './input-weighted-cell.js';
export * from './coupled-cell.js';
export * from './lif-mc.js';
export * from './lif-mc-refrac.js';
export * from './lif-correlation.js';
export { NeuronCell, NeuronSequence, neuronModel } from './neuron.js';
export { NeuronRecurrentCell, NeuronRecurrentSequence, neuronRecurrentModel } from './neuron-recurrent.js';

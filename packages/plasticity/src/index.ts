/**
 * @snn/plasticity — synapses that change with use: spike-timing-dependent plasticity (STDP) of linear
 * and convolutional projections with Norse's four weight-dependence rules, the STDP sensor,
 * Tsodyks-Markram short-term plasticity, and STDP layers (`STDPLinear`, `STDPConv2d`) that learn while
 * spikes pass through them, inside `Lift` and `SequentialState` like any cell.
 *
 * @module
 */
export {
  DEFAULT_STDP_PARAMETERS, STDP_ALGORITHMS, stdpParameters, stdpInitialState, stdpWeightDependence,
  type STDPAlgorithm, type STDPParameters, type STDPState,
} from './stdp-parameters.js';
export { stdpStepLinear } from './stdp-linear.js';
export { stdpStepConv2d } from './stdp-conv2d.js';
export { unfold2d, type Conv2dGeometry, type Pair } from './unfold.js';
export {
  DEFAULT_STDP_SENSOR_PARAMETERS, stdpSensorParameters, stdpSensorInitialState, stdpSensorStep,
  type STDPSensorParameters, type STDPSensorState,
} from './stdp-sensor.js';
export {
  DEFAULT_TSODYKS_MAKRAM_PARAMETERS, tsodyksMakramParameters, stpInitialState, stpStep,
  type TsodyksMakramParameters, type TsodyksMakramState,
} from './tsodyks-markram.js';
export { STDPLinear, STDPConv2d, type STDPLayerOptions, type STDPLayerState } from './stdp-layer.js';

/**
 * `snn-memory-task --nir FILE`: why this network does not export to NIR. NIR's neurons (LIF, CubaLIF,
 * IF, LI, CubaLI, I) all fire at a fixed threshold; the memory lives in the LSNN's adaptive
 * threshold b (b jumps by β at each spike and relaxes with τ_adapt), which no combination of NIR
 * primitives reproduces — the spike condition v > b compares two states of one neuron. Exporting the
 * LIF layer and the readout alone would write a network that cannot do the task, so the flag is
 * refused up front, before any training, with this reason.
 */
import { UsageError } from '@snn/app-kit';

/** Throws the UsageError that `--nir` gets from this program (see the module comment). */
export function refuseNirExport(file: string): never {
  throw new UsageError(`--nir ${file}: NIR has no neuron with an adaptive threshold, so the LSNN layer that holds the memory cannot be exported; `
    + 'export networks of LIF, CubaLIF, IF and LI layers (snn-mnist --nir does)');
}

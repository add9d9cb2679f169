/**
 * What happened in the last slot, per device and per server: for replay
 * viewers and tests. One preallocated record per environment, overwritten by
 * every step.
 */

/** Detail of one slot. Arrays are indexed by device (or server for `backlog`). */
export interface SlotRecord {
  /** 0-based slot index within the episode. */
  slot: number;
  /** Shared reward of the slot. */
  reward: number;
  /** Task work, deadline [s] and sensitive flag. */
  readonly work: Float64Array;
  readonly deadline: Float64Array;
  readonly sensitive: Uint8Array;
  /** Server the device chose (-1: none). */
  readonly server: Int32Array;
  /** Offload fraction actually executed (0 when refused or unaffordable). */
  readonly rho: Float64Array;
  /** Whether the offloaded part was encrypted / went to another domain. */
  readonly encrypted: Uint8Array;
  readonly crossDomain: Uint8Array;
  /** Whether the choice was a (attempted) security violation. */
  readonly violation: Uint8Array;
  /** Task time [s], cost, energy [J] and success flag. */
  readonly T: Float64Array;
  readonly cost: Float64Array;
  readonly energy: Float64Array;
  readonly success: Uint8Array;
  /** Per server: backlog after the slot [s] (the next slot's starting backlog). */
  readonly backlog: Float64Array;
}

/** Allocate a record for M devices and K servers. */
export function makeSlotRecord(M: number, K: number): SlotRecord {
  return {
    slot: 0,
    reward: 0,
    work: new Float64Array(M),
    deadline: new Float64Array(M),
    sensitive: new Uint8Array(M),
    server: new Int32Array(M).fill(-1),
    rho: new Float64Array(M),
    encrypted: new Uint8Array(M),
    crossDomain: new Uint8Array(M),
    violation: new Uint8Array(M),
    T: new Float64Array(M),
    cost: new Float64Array(M),
    energy: new Float64Array(M),
    success: new Uint8Array(M),
    backlog: new Float64Array(K),
  };
}

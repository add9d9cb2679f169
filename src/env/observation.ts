/**
 * Per-device observation layout (SPEC 2.5). Every feature is divided by a
 * scenario maximum and clamped to [0, 1], so networks see comparable inputs
 * across scenarios. The global state is the concatenation of all rows.
 *
 * Row of device i, with K servers and M devices (obsDim = 6 + 7K + M):
 *   [0] own capacity / max device capacity
 *   [1] remaining energy / budget (1 when the budget is unlimited)
 *   [2] task work / work scale      [3] deadline / deadline scale
 *   [4] sensitive flag
 *   then per server k (6 each): capacity / max server capacity,
 *     backlog / maxTaskSeconds, time until a full offload arrives (encryption +
 *     transfer) / maxTaskSeconds, same-domain flag, allowed flag for this task,
 *     switch time already paid
 *   then M values: every device's current task work / work scale
 *   then K values: one-hot of the last chosen server (all 0 before the first choice)
 *   then slot index / slotsPerEpisode.
 */

/** Offsets of the feature groups inside one observation row. */
export interface ObservationLayout {
  readonly obsDim: number;
  readonly serverBase: number;
  readonly perServer: number;
  readonly workBase: number;
  readonly lastServerBase: number;
  readonly slotIndex: number;
}

/** Compute the layout for M devices and K servers. */
export function observationLayout(numDevices: number, numServers: number): ObservationLayout {
  const perServer = 6;
  const serverBase = 5;
  const workBase = serverBase + perServer * numServers;
  const lastServerBase = workBase + numDevices;
  const slotIndex = lastServerBase + numServers;
  return { obsDim: slotIndex + 1, serverBase, perServer, workBase, lastServerBase, slotIndex };
}

/** Names of the features of one row, in order (for docs, debugging and viewers). */
export function observationFeatureNames(serverIds: readonly string[], deviceIds: readonly string[]): string[] {
  const names = ['capacity', 'energyShare', 'work', 'deadline', 'sensitive'];
  for (const s of serverIds) names.push(`${s}.capacity`, `${s}.backlog`, `${s}.fullOffloadArrival`, `${s}.sameDomain`, `${s}.allowed`, `${s}.switchPaid`);
  for (const d of deviceIds) names.push(`${d}.work`);
  for (const s of serverIds) names.push(`lastServer.${s}`);
  names.push('slotShare');
  return names;
}

/** Clamp to [0, 1]; the features are shares, so larger values carry little extra meaning. */
export function unit(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

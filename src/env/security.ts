/**
 * The domain-security rule (SPEC 2.2 step 3-4): a sensitive task never leaves
 * its device's domain; a normal task crosses domains only encrypted.
 */
import type { Scenario } from './scenario.js';

export type EnforceMode = 'mask' | 'penalize' | 'off';

/** Domain ids turned into small integers once, for the hot path. */
export interface DomainLayout {
  /** Domain index of each device. */
  readonly deviceDomain: Int32Array;
  /** Domain index of each server. */
  readonly serverDomain: Int32Array;
}

/** Map the scenario's domain ids to indices. */
export function domainLayout(s: Scenario): DomainLayout {
  const index = new Map(s.domains.map((d, i) => [d.id, i] as const));
  return {
    deviceDomain: Int32Array.from(s.devices, (d) => index.get(d.domain)!),
    serverDomain: Int32Array.from(s.servers, (v) => index.get(v.domain)!),
  };
}

/** Whether sending a task of `device` to `server` breaks the rule (a sensitive task leaving its domain). */
export function breaksRule(layout: DomainLayout, device: number, server: number, sensitive: boolean): boolean {
  return sensitive && layout.deviceDomain[device] !== layout.serverDomain[server];
}

/** Whether a task may go to `server` under `enforce` (`off` allows everything). */
export function isAllowed(layout: DomainLayout, enforce: EnforceMode, device: number, server: number, sensitive: boolean): boolean {
  return enforce === 'off' || !breaksRule(layout, device, server, sensitive);
}

/** Whether an offload from `device` to `server` is encrypted. */
export function isEncrypted(layout: DomainLayout, encryptAll: boolean, device: number, server: number): boolean {
  return encryptAll || layout.deviceDomain[device] !== layout.serverDomain[server];
}

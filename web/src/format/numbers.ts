/**
 * Numbers as the canvas prints them: short, with their unit beside them at the call site. One shared
 * formatter: Number#toLocaleString builds a new one per call, which was a tenth of a busy canvas's frame.
 */
const whole = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

export const fmtRate = (perSecond: number) =>
  perSecond >= 100 ? whole.format(Math.round(perSecond)) : perSecond.toFixed(1);

export const fmtMs = (ms: number) => (ms >= 100 ? whole.format(Math.round(ms)) : ms.toFixed(1));

export const fmtCount = (n: number) => whole.format(Math.round(n));

export const fmtShare = (share: number) => `${Math.round(share * 100)}%`;

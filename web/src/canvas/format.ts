/** Numbers as the canvas prints them: short, with their unit beside them at the call site. */
export const fmtRate = (perSecond: number) =>
  perSecond >= 100 ? Math.round(perSecond).toLocaleString('en') : perSecond.toFixed(1);

export const fmtMs = (ms: number) => (ms >= 100 ? Math.round(ms).toLocaleString('en') : ms.toFixed(1));

export const fmtCount = (n: number) => Math.round(n).toLocaleString('en');

export const fmtShare = (share: number) => `${Math.round(share * 100)}%`;

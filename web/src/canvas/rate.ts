import { LIMITS } from '@lab/model';

/**
 * The rate slider's scale: cubic, so the first half of the slider covers the rates a laptop lab mostly
 * uses (0–625 ev/s) with fine steps, and the rest reaches the model's limit for spikes.
 */
const MAX = LIMITS.ratePerSec.max;
export const SLIDER_STEPS = 100;

export function sliderToRate(position: number): number {
  const rate = MAX * (position / SLIDER_STEPS) ** 3;
  return rate < 10 ? Math.round(rate * 10) / 10 : Math.round(rate);
}

export function rateToSlider(rate: number): number {
  return Math.round(SLIDER_STEPS * Math.cbrt(Math.min(MAX, Math.max(0, rate)) / MAX));
}

import { describe, expect, it } from 'vitest';
import { rateToSlider, SLIDER_STEPS, sliderToRate } from './rate';

describe('rate slider scale', () => {
  it('spans 0 to the model limit', () => {
    expect(sliderToRate(0)).toBe(0);
    expect(sliderToRate(SLIDER_STEPS)).toBe(5000);
  });

  it('gives low rates fine steps', () => {
    expect(sliderToRate(10)).toBe(5);
    expect(sliderToRate(20)).toBe(40);
  });

  it('maps a rate back to the nearest slider position', () => {
    for (const rate of [0, 5, 40, 625, 5000]) expect(sliderToRate(rateToSlider(rate))).toBeCloseTo(rate, -1);
    expect(rateToSlider(99999)).toBe(SLIDER_STEPS);
  });
});

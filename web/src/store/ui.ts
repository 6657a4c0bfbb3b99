import type { StateCreator } from 'zustand';

export type Theme = 'light' | 'dark';

export interface UiSlice {
  theme: Theme;
  toggleTheme: () => void;
}

const THEME_KEY = 'lab.theme';

function initialTheme(): Theme {
  const saved = globalThis.localStorage?.getItem(THEME_KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const createUiSlice: StateCreator<UiSlice, [], [], UiSlice> = (set, get) => ({
  theme: initialTheme(),
  toggleTheme: () => {
    const theme = get().theme === 'dark' ? 'light' : 'dark';
    globalThis.localStorage?.setItem(THEME_KEY, theme);
    set({ theme });
  },
});

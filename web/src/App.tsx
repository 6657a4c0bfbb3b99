import { useEffect } from 'react';
import { Canvas } from './canvas/Canvas';
import { SidePanel } from './panels/SidePanel';
import { StatusBar } from './StatusBar';
import { useTheme } from './store/selectors';
import { TopBar } from './TopBar';

/** The shell: top bar, canvas, side panel, status bar. */
export function App() {
  const { theme } = useTheme();
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  return (
    <div className="shell">
      <TopBar />
      <main className="workspace">
        <Canvas />
        <SidePanel />
      </main>
      <StatusBar />
    </div>
  );
}

import { ReactFlowProvider } from '@xyflow/react';
import { useEffect } from 'react';
import { SaveProblem } from './bar/SaveStatus';
import { TopBar } from './bar/TopBar';
import { Canvas } from './canvas/Canvas';
import { Palette } from './canvas/Palette';
import { Dock } from './panels/Dock';
import { Inspector } from './panels/Inspector';
import { StatusBar } from './StatusBar';
import { usePresenter, useTheme } from './store/selectors';
import { Toasts } from './Toasts';

/** The shell: top bar; palette, canvas, inspector; the dock; the status bar. */
export function App() {
  const { theme } = useTheme();
  const { presenter } = usePresenter();
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.dataset.presenter = String(presenter);
  }, [theme, presenter]);

  return (
    <ReactFlowProvider>
      <div className="shell">
        <TopBar />
        <SaveProblem />
        <main className="workspace">
          {!presenter && <Palette />}
          <Canvas />
          {!presenter && <Inspector />}
        </main>
        <Dock />
        <StatusBar />
        <Toasts />
      </div>
    </ReactFlowProvider>
  );
}

import { ReactFlowProvider } from '@xyflow/react';
import { useEffect } from 'react';
import { SaveProblem } from './bar/SaveStatus';
import { TopBar } from './bar/TopBar';
import { Canvas } from './canvas/Canvas';
import { Palette } from './canvas/Palette';
import { ClassroomNotices } from './classroom/AttendeeBar';
import { SpotlightBanner } from './classroom/Spotlight';
import { Dock } from './panels/Dock';
import { Inspector } from './panels/Inspector';
import { SidePanel } from './panels/SidePanel';
import { Timeline } from './replay/Timeline';
import { StatusBar } from './StatusBar';
import { useGuide, useLabProgress, usePresenter, useReadOnly, useTheme } from './store/selectors';
import { Toasts } from './Toasts';

/** The shell: top bar; palette, canvas, inspector; the dock; the status bar. */
export function App() {
  const { theme } = useTheme();
  const { presenter } = usePresenter();
  const guide = useGuide();
  const readOnly = useReadOnly();
  const activeLab = useLabProgress()?.labId;
  // A lab in progress (after a reload too) opens its guide.
  useEffect(() => {
    if (activeLab) guide.setOpen(true);
  }, [activeLab, guide.setOpen]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.dataset.presenter = String(presenter);
    document.documentElement.dataset.replay = String(readOnly);
  }, [theme, presenter, readOnly]);

  return (
    <ReactFlowProvider>
      <div className="shell">
        <TopBar />
        <SaveProblem />
        <ClassroomNotices />
        <SpotlightBanner />
        <main className="workspace">
          {!presenter && !readOnly && <Palette />}
          <Canvas />
          {guide.open ? <SidePanel /> : !presenter && !readOnly && <Inspector />}
        </main>
        <Timeline />
        <Dock />
        <StatusBar />
        <Toasts />
      </div>
    </ReactFlowProvider>
  );
}

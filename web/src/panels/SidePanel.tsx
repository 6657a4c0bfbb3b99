import { type ReactNode, useEffect, useRef } from 'react';
import { Icon } from '../icons/Icon';
import { useLabProgress, usePrediction, usePresenter, useSelectedItem, useSideTab } from '../store/selectors';
import type { SideTab } from '../store/ui';
import { Inspector } from './Inspector';
import { LabGuide } from './LabGuide';
import { awaitsPrediction } from './LabStepParts';

/**
 * The column beside the canvas while the guide is open (not a landmark itself: the inspector inside is one): the guide and the inspector as two tabs, so a step
 * that says "click the topic and read its panel" can be followed without losing the guide. Selecting a node
 * or link opens its inspector (except while the learner marks a prediction); the guide's tab shows when the
 * current step has turned green.
 */
export function SidePanel() {
  const { tab, setTab } = useSideTab();
  const { node, link } = useSelectedItem();
  const { predicting, setPredicting } = usePrediction();
  const { presenter } = usePresenter();
  const progress = useLabProgress();
  const stepDone = progress?.steps[progress.current]?.done ?? false;
  // Marking nodes on the canvas is on while the current step waits for the learner's prediction (on either
  // tab: looking at an inspector does not lose the marks).
  const awaitingPrediction = awaitsPrediction(progress);
  useEffect(() => {
    setPredicting(awaitingPrediction);
  }, [awaitingPrediction, setPredicting]);
  useEffect(() => () => setPredicting(false), [setPredicting]);
  const selected = node?.id ?? link?.id;
  const previous = useRef(selected);
  useEffect(() => {
    if (selected && selected !== previous.current && !predicting) setTab('inspector');
    previous.current = selected;
  }, [selected, predicting, setTab]);
  const selectedName = node ? (node.label ?? node.id) : link ? link.id : undefined;
  if (presenter) return <LabGuide />;
  return (
    <div className="side-panel">
      <div className="side-tabs" role="tablist" aria-label="Side panel">
        <button
          type="button"
          role="tab"
          id="side-tab-guide"
          aria-selected={tab === 'guide'}
          aria-controls="side-panel-guide"
          className={tab === 'guide' ? 'active' : ''}
          onClick={() => setTab('guide')}
        >
          Lab guide
          {stepDone && tab !== 'guide' && (
            <>
              {' '}
              <Icon name="check" />
              <span className="visually-hidden"> (step done)</span>
            </>
          )}
        </button>
        <button
          type="button"
          role="tab"
          id="side-tab-inspector"
          aria-selected={tab === 'inspector'}
          aria-controls="side-panel-inspector"
          className={tab === 'inspector' ? 'active' : ''}
          onClick={() => setTab('inspector')}
        >
          Inspector{selectedName ? `: ${selectedName}` : ''}
        </button>
      </div>
      {/* Both stay mounted, each in its own scroll box: switching tabs keeps the guide where the learner was. */}
      <TabPanel name="guide" shown={tab === 'guide'}>
        <LabGuide />
      </TabPanel>
      <TabPanel name="inspector" shown={tab === 'inspector'}>
        <Inspector />
      </TabPanel>
    </div>
  );
}

function TabPanel({ name, shown, children }: { name: SideTab; shown: boolean; children: ReactNode }) {
  return (
    <div
      className="side-panel-body"
      id={`side-panel-${name}`}
      role="tabpanel"
      aria-labelledby={`side-tab-${name}`}
      hidden={!shown}
    >
      {children}
    </div>
  );
}

/**
 * The wizard's screen: header, stage list, the current step pane (details, then whatever the
 * person is being asked), an optional log pane (`l`), and the key hints line; or the resume
 * screen first when there is saved progress. `e` toggles the full explanation (why, equivalent
 * commands; on from the start with `--explain`), `g` the graph view of the stages (which run in
 * parallel, which wait on which, where the run is). Reads a UiStore; sends answers back to it.
 * Works at 80×24 and up.
 */
import { useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text, useInput, useWindowSize } from 'ink';
import type { DefaultsContext, StepId } from '../engine/types.js';
import type { Interaction, UiStore } from './store.js';
import { followStep, neighbourStep } from './model.js';
import { formatElapsed } from './format.js';
import { ClockContext, frozenFromEnv, useNow } from './clock.js';
import { Header } from './components/Header.js';
import type { HeaderInfo } from './components/Header.js';
import { InteractionView } from './components/InteractionView.js';
import type { HintMode } from './components/KeyHints.js';
import { KeyHints } from './components/KeyHints.js';
import { LogPane } from './components/LogPane.js';
import { ResumeScreen } from './components/ResumeScreen.js';
import { ScrollBox } from './components/ScrollBox.js';
import { StageList } from './components/StageList.js';
import { StateSymbol } from './components/symbols.js';
import { StepDetails } from './components/StepDetails.js';
import { graphLines } from './graph.js';
import type { GraphState } from './graph.js';
import type { RunView } from './model.js';

/**
 * Props. `frozen` (or `MAAS_WIZARD_FREEZE_SPINNERS=1`): spinners stay still and running times use
 * `now` (ms since epoch) or a placeholder. `columns`/`rows` override the terminal size (tests,
 * snapshots). `onInterrupt` runs on Ctrl-C (the CLI aborts the engine there).
 */
export interface AppProps {
  store: UiStore;
  header: HeaderInfo;
  frozen?: boolean;
  now?: number;
  columns?: number;
  rows?: number;
  onInterrupt?(): void;
  /**
   * Show each step's full explanation (what, why, equivalent commands) from the start (`--explain`);
   * otherwise only what it does, and `e` shows the rest. Default true.
   */
  explain?: boolean;
}

/** Rows taken by the log pane when open (border line included). */
const LOG_HEIGHT = 8;
/** Width of the stage list column. */
const STAGE_WIDTH = 27;

function stepOf(i: Interaction): StepId {
  return i.kind === 'question' ? i.step : i.step.id;
}

function hintMode(i: Interaction | undefined): HintMode {
  if (!i) return 'idle';
  if (i.kind === 'inputs') return 'form';
  if (i.kind === 'plan') return 'plan';
  if (i.question.kind === 'select') return 'question-list';
  return 'question';
}

/** The root component. */
export function App(props: AppProps) {
  const frozen = props.frozen ?? frozenFromEnv();
  return (
    <ClockContext.Provider value={{ frozen, ...(props.now === undefined ? {} : { now: props.now }) }}>
      <Screen {...props} />
    </ClockContext.Provider>
  );
}

function Screen({ store, header, columns, rows, onInterrupt, explain }: AppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const size = useWindowSize();
  const width = Math.max(40, columns ?? size.columns ?? 80);
  const height = Math.max(12, (rows ?? size.rows ?? 24) - 1);
  const [logOpen, setLogOpen] = useState(false);
  const [focus, setFocus] = useState<'step' | 'log'>('step');
  // A step the person chose with ←/→ (shown until Esc); otherwise the pane follows the run.
  const [chosen, setChosen] = useState<StepId | undefined>(undefined);
  const [explainFull, setExplainFull] = useState(explain ?? true);
  const [graphOpen, setGraphOpen] = useState(false);
  const shown = useRef<StepId | undefined>(undefined);
  const now = useNow();

  const interaction = state.queue[0];
  // The graph gives way to anything the person is asked.
  const showGraph = graphOpen && !interaction;
  const mode: HintMode = state.resume ? 'resume' : showGraph ? 'graph' : !interaction && chosen ? 'browsing' : hintMode(interaction);
  const typing = mode === 'form' || mode === 'question' || mode === 'question-list';

  useInput((input, key) => {
    if (key.ctrl && input === 'c') onInterrupt?.();
  });
  useInput(
    (input, key) => {
      if (input === 'l') {
        setLogOpen((o) => !o);
        setFocus('step');
      } else if (input === 'g') setGraphOpen((o) => !o);
      else if (input === 'e') setExplainFull((o) => !o);
      else if (key.tab && logOpen) setFocus((f) => (f === 'step' ? 'log' : 'step'));
      else if (!interaction && (key.leftArrow || key.rightArrow)) setChosen(neighbourStep(state.view, shown.current, key.leftArrow ? -1 : 1));
      else if (key.escape && graphOpen) setGraphOpen(false);
      else if (key.escape) setChosen(undefined);
    },
    { isActive: !state.resume && !typing },
  );

  if (state.resume) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Header info={header} width={width} />
        <Box flexGrow={1} flexDirection="column">
          <ResumeScreen info={state.resume} isActive onChoose={(c) => store.chooseResume(c)} />
        </Box>
        <KeyHints mode="resume" logOpen={false} />
      </Box>
    );
  }

  const view = state.view;
  const id = interaction ? stepOf(interaction) : chosen && view.steps[chosen] ? chosen : followStep(view, shown.current);
  shown.current = id;
  const step = id === undefined ? undefined : view.steps[id];
  const paneWidth = width - STAGE_WIDTH - 2;
  const ctx: DefaultsContext = { outputs: (sid) => view.steps[sid]?.outputs };
  const stepScrollActive = focus === 'step' || !logOpen;
  const plan = interaction?.kind === 'plan' ? interaction.changes : undefined;
  const finished = view.finished;

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header info={header} width={width} />
      {showGraph ? (
        <Box flexGrow={1} flexShrink={1} flexBasis={0} flexDirection="column" overflow="hidden">
          <ScrollBox active arrows resetKey="graph">
            {viewGraphLines(view, step?.stage, width).map((l, i) => (
              <Text key={i} wrap="truncate-end">
                {l}
              </Text>
            ))}
          </ScrollBox>
        </Box>
      ) : (
        <Box flexGrow={1} flexShrink={1} flexBasis={0} flexDirection="row" overflow="hidden">
          <StageList view={view} width={STAGE_WIDTH} {...(step ? { currentStage: step.stage } : {})} />
          <Box
            flexDirection="column"
            flexGrow={1}
            paddingLeft={1}
            borderStyle="single"
            borderTop={false}
            borderRight={false}
            borderBottom={false}
            borderColor="gray"
          >
            {finished ? (
              <Box flexShrink={0}>
              <Text color={finished.result === 'done' ? 'green' : finished.result === 'failed' ? 'red' : 'yellow'} wrap="truncate-end">
                {finished.result === 'done' ? '✔ All steps done.' : finished.result === 'failed' ? '✖ The run failed.' : '■ The run was interrupted.'}
              </Text>
              </Box>
            ) : null}
            {step ? (
              <Box flexShrink={0}>
                <StateSymbol state={step.state} />
                <Box flexGrow={1} flexShrink={1} flexBasis={0} marginLeft={1}>
                  <Text bold wrap="truncate-end">
                    {step.title}
                    <Text dimColor> · {step.state}</Text>
                  </Text>
                </Box>
                <Box flexShrink={0} marginLeft={1}>
                  <Text dimColor>{formatElapsed(step.startedAt, step.endedAt, now)}</Text>
                </Box>
              </Box>
            ) : (
              <Text dimColor>No steps.</Text>
            )}
            <ScrollBox
              active={stepScrollActive}
              arrows={stepScrollActive && !typing}
              resetKey={`${id ?? ''}:${interaction?.id ?? ''}`}
            >
              {interaction?.kind === 'question' ? <QuestionDetails interaction={interaction} /> : null}
              {step ? (
                <StepDetails
                  step={step}
                  width={paneWidth}
                  explainMode={explainFull ? 'full' : 'what'}
                  {...(state.explains[step.id] ? { explain: state.explains[step.id] } : {})}
                  {...(plan ? { plan } : {})}
                />
              ) : null}
            </ScrollBox>
            {interaction ? (
              <Box flexShrink={0} flexDirection="column" borderStyle="single" borderLeft={false} borderRight={false} borderBottom={false} borderColor="cyan">
                <InteractionView
                  key={interaction.id}
                  interaction={interaction}
                  ctx={ctx}
                  isActive
                  onAnswer={(iid, v) => store.answer(iid, v)}
                />
              </Box>
            ) : null}
          </Box>
        </Box>
      )}
      {logOpen ? <LogPane lines={view.log} height={LOG_HEIGHT} active={focus === 'log'} /> : null}
      <KeyHints mode={mode} logOpen={logOpen} />
    </Box>
  );
}

/** The graph view's lines for the run view: step states (drifted ones marked), the current stage. */
function viewGraphLines(view: RunView, current: string | undefined, width: number): string[] {
  const nodes = view.order.flatMap((id) => {
    const s = view.steps[id];
    return s ? [{ id, stage: s.stage, needs: s.needs }] : [];
  });
  const states: Record<StepId, GraphState> = {};
  for (const n of nodes) {
    const s = view.steps[n.id];
    if (s) states[n.id] = s.drift !== undefined && s.state === 'pending' ? 'drifted' : s.state;
  }
  return graphLines(nodes, { states, width: width - 1, ...(current ? { current } : {}) });
}

/** The text of a question that comes with details (or a checkpoint's title, body and link). */
function QuestionDetails({ interaction }: { interaction: Interaction & { kind: 'question' } }) {
  const q = interaction.question;
  if (q.kind === 'checkpoint') {
    return (
      <Box flexDirection="column" marginBottom={1}>
        <Text bold color="magenta">
          Manual step: {q.title}
        </Text>
        <Text>{q.body}</Text>
        {q.url ? <Text color="cyan">{q.url}</Text> : null}
      </Box>
    );
  }
  return q.details ? (
    <Box marginBottom={1}>
      <Text>{q.details}</Text>
    </Box>
  ) : null;
}

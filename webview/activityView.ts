// What is under way, at the top of the sidebar: the node being run with its step and a Stop, and
// every decision waiting for the person with its answers. A decision answered here or in its
// notification is settled once; the host then sends the list without it.
import { DECISION_HEADINGS, type DecisionView, type NodeAction, type RunningView, type RunStep, type TaskNodeView } from '../src/protocol';
import { button, progressRing } from './components';
import { el } from './dom';

export interface Activity {
  running: RunningView | null;
  decisions: DecisionView[];
}

export interface ActivityCallbacks {
  answer(decisionId: string, choice: string): void;
  act(nodeId: string, action: NodeAction): void;
}

const STEP_WORDS: Record<RunStep, (round: number) => string> = {
  starting: () => 'starting',
  planning: () => 'planning its subtasks',
  context: () => 'planning its context',
  maker: (round) => `maker round ${round}`,
  breaker: (round) => `breaker round ${round}`,
  review: () => 'waiting for your review',
  checkpoint: () => 'saving a checkpoint',
  apply: () => 'applying what you accepted',
  tests: () => 'tests',
  summary: () => 'writing the save state',
};

/** The step in a few words: "maker round 2", "waiting for your review". */
export function stepWords(running: RunningView): string {
  return STEP_WORDS[running.step](running.round);
}

export function renderActivity(activity: Activity, nodes: readonly TaskNodeView[], callbacks: ActivityCallbacks): HTMLElement[] {
  const parts: HTMLElement[] = [];
  const titleOf = (nodeId: string | null): string | undefined => nodes.find((n) => n.id === nodeId)?.title;
  const { running } = activity;
  if (running) {
    const section = el('section', 'running');
    section.setAttribute('aria-label', 'Running');
    const line = el('div', 'planning');
    line.append(progressRing('Running'), el('span', 'running-title', `Running: ${titleOf(running.nodeId) ?? running.nodeId}`));
    section.append(line, el('p', 'run-step', `Step: ${stepWords(running)}`));
    if (running.message) section.append(el('p', 'muted run-message', running.message));
    section.append(button('Stop', () => callbacks.act(running.nodeId, 'stop'), { secondary: true, ariaLabel: 'Stop the run', data: { action: 'stop' } }));
    parts.push(section);
  }
  for (const decision of activity.decisions) {
    const section = el('section', 'decision');
    section.dataset.decisionId = decision.id;
    section.setAttribute('role', 'alertdialog');
    section.setAttribute('aria-label', DECISION_HEADINGS[decision.kind]);
    section.append(el('h2', '', `Waiting for you: ${DECISION_HEADINGS[decision.kind]}`));
    const title = titleOf(decision.nodeId);
    if (title) section.append(el('p', 'decision-node', title));
    section.append(el('p', 'decision-text', decision.text));
    const answers = el('div', 'actions');
    decision.choices.forEach((choice, i) =>
      answers.append(button(choice, () => callbacks.answer(decision.id, choice), { secondary: i > 0, data: { action: 'answer', choice } })),
    );
    section.append(answers);
    parts.push(section);
  }
  return parts;
}

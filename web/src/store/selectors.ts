import { useShallow } from 'zustand/react/shallow';
import { useLab } from './index';
import { kafkaAsSeen } from './live';

/** Every read of the store goes through here, so components re-render only for what they show. */
export const useConnection = () =>
  useLab(useShallow((s) => ({ connection: s.connection, attempt: s.reconnectAttempt })));
export const useKafka = () => useLab((s) => kafkaAsSeen(s.connection, s.snapshot));
export const useServerVersion = () => useLab((s) => s.serverVersion);
export const useTheme = () => useLab(useShallow((s) => ({ theme: s.theme, toggleTheme: s.toggleTheme })));

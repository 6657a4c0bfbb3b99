import Type from 'typebox';

/** How the lab sees its Kafka cluster right now. `managed` is true when the lab started the broker itself. */
export const KafkaState = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('starting')]),
  brokers: Type.Array(Type.String()),
  managed: Type.Boolean(),
  /** Why it is down, in one line a newcomer can act on. */
  error: Type.Optional(Type.String()),
});
export type KafkaState = Type.Static<typeof KafkaState>;

export const Health = Type.Object({
  ok: Type.Boolean(),
  version: Type.String(),
  kafka: KafkaState,
});
export type Health = Type.Static<typeof Health>;

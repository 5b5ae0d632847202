// Which tokenizer counts a model's tokens. OpenAI's newer families (GPT-4o, 4.1, 4.5, 5, o-series)
// use o200k_base; GPT-4, GPT-3.5 and the embedding models use cl100k_base, which is also the
// default for any model we do not recognise (the closest public stand-in for most others).
export type EncodingName = 'o200k_base' | 'cl100k_base';

const O200K_FAMILIES = [/^gpt-4o/, /^gpt-4\.1/, /^gpt-4\.5/, /^gpt-5/, /^o\d/, /^chatgpt-4o/, /^gpt-oss/];

export function encodingForModel(model: string | undefined): EncodingName {
  const name = (model ?? '').toLowerCase().replace(/^.*\//, ''); // "openai/gpt-4o" -> "gpt-4o"
  return O200K_FAMILIES.some((re) => re.test(name)) ? 'o200k_base' : 'cl100k_base';
}

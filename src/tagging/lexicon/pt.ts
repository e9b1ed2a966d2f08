import type { LanguageLexicon } from './types';

/** Portuguese concept vocabulary (Brazilian and European), lighter than en/fr/es/ar/ja. */
export const PT: LanguageLexicon = {
  language: 'pt',
  concepts: {
    policy: [
      'advocacy', 'politica* publica*', 'legislac*', 'lei', 'leis', 'direito* autor*', 'dominio publico',
      'liberdade panorama', 'censura*', ['governo*', 0.6], ['regulamenta*', 0.8], ['deputad*', 0.7],
    ],
    awareness: ['conscientiz*', 'campanha*', 'imagem publica', 'visibilidade', ['divulga*', 0.6], ['imprensa', 0.7]],
    training: [
      'capacitac*', 'formacao', 'treinamento*', ['oficina*', 0.8], 'habilidade*', ['aprend*', 0.5], 'tutoria*',
      ['mentoria*', 0.8], ['curso*', 0.6], ['ensinar', 0.5],
    ],
    leadership: ['lideranca*', ['lider', 0.8], ['lideres', 0.8], ['organizador*', 0.6]],
    'org-capacity': ['profissionaliz*', ['contratar', 0.5], 'capacidade institucional', ['escritorio', 0.4]],
    safety: [
      'assedio*', 'toxic*', 'abuso*', 'codigo conduta', ['seguranca', 0.8], 'ameaca*', ['conflito*', 0.7],
      'esgotamento', 'bem estar', 'saude mental', ['hostil*', 0.8], ['agressiv*', 0.8], ['ataque*', 0.7],
      ['discrimina*', 0.6], ['medo', 0.5],
    ],
    newcomers: ['novato*', 'novos editores', 'iniciante*', 'retencao', ['desanim*', 0.7], ['revert*', 0.6], ['novos', 0.4]],
    diversity: [
      'diversidade', ['genero', 0.6], 'mulher*', 'sub represent*', 'marginaliz*', 'minoria*', 'indigena*',
      'sul global', 'deficiencia*', ['inclusao', 0.8], ['inclusiv*', 0.8], ['exclu*', 0.6], ['quilombol*', 0.8], ['rural*', 0.6],
      ['vies', 0.6],
    ],
    'language-access': ['lingua* indigena*', 'lingua* local*', 'lingua* materna*', ['idioma*', 0.5], ['lingua*', 0.5], ['traduc*', 0.3]],
    partners: [
      'parceri*', 'parceiro*', 'museu*', 'biblioteca*', ['arquivo*', 0.6], ['universidade*', 0.8], ['escola*', 0.7],
      ['instituic*', 0.7], 'ong', 'ongs', ['colaborac*', 0.5], ['cooperac*', 0.6], 'convenio*', ['professor*', 0.5],
      ['empresa*', 0.4], ['acervo*', 0.6],
    ],
    technology: [
      'software', ['ferramenta*', 0.8], 'aplicativo*', ['celular*', 0.7], ['movel', 0.6], 'tecnolog*',
      ['interface*', 0.7], 'desenvolvedor*', ['plataforma*', 0.6], 'inteligencia artificial', 'traducao automatica',
      ['conexao internet', 0.7], 'editor visual', ['funcionalidade*', 0.7], ['tecnic*', 0.6], ['lento', 0.4],
    ],
    ux: ['experiencia* usuario*', 'usabilidade', 'facil* usar', 'intuitiv*', ['complicad*', 0.6], ['dificil', 0.3]],
    innovation: ['inova*', ['experiment*', 0.7], ['video*', 0.6], ['audio*', 0.6], ['podcast*', 0.6]],
    grants: [
      ['bolsa*', 0.8], 'subsidio*', 'financiamento*', ['fundo*', 0.5], 'orcamento*', 'alocac*', ['distribu*', 0.5],
      ['recurso*', 0.6], ['dinheiro', 0.6], ['verba*', 0.8], ['reembols*', 1], ['despesa*', 0.5],
    ],
    revenue: [
      ['arrecada*', 1.2], 'doac*', 'doador*', ['receita*', 0.8], ['renda', 0.6], 'patrocin*', ['comercial*', 0.7],
      ['venda*', 0.6], ['publicidade', 0.8], ['cobrar', 0.8], ['lucro', 0.6],
    ],
    sustainability: ['sustentab*', ['longo prazo', 0.6]],
    governance: [
      'governanca', 'tomada* decis*', ['decis*', 0.6], ['papel', 0.4], ['papeis', 0.8], 'responsabilidade*',
      'carta movimento', 'conselho global', ['centraliz*', 0.7], 'descentraliz*', ['eleic*', 0.6], ['fundacao', 0.5],
      ['afiliad*', 0.5], 'prestac* contas', ['transparen*', 0.6], ['quem decide', 1], ['hierarqu*', 1],
    ],
    equity: ['equidade', 'equitativ*', 'injust*', 'desigual*'],
    coordination: ['coordena*', 'partes interessadas', ['articulac*', 0.6], ['duplica*', 0.6]],
    evaluation: ['avalia*', 'indicador*', 'metrica*', ['impacto*', 0.6], ['monitora*', 0.6], ['medir', 0.7]],
    knowledge: [['documentac*', 0.8], ['boas praticas', 0.7], 'gestao conhecimento*', 'licoes aprendidas'],
    topics: ['lacuna* conteudo*', ['tema*', 0.5], ['cobertura', 0.6], 'conteudo local'],
  },
  offTopic: [
    'obrigad*', 'ola', 'bom dia', 'boa tarde', 'boa noite', 'valeu', 'parabens', 'ate logo', 'tchau', 'kkk*',
    ['amanha', 0.5], ['beleza', 0.5],
  ],
  stopwords: [
    'o', 'os', 'as', 'um', 'uma', 'do', 'da', 'dos', 'das', 'e', 'em', 'no', 'na', 'nos', 'nas', 'com', 'por',
    'para', 'que', 'se', 'nao', 'sao', 'seu', 'sua', 'mais', 'mas', 'como', 'muito', 'muita', 'ao', 'aos', 'pelo',
    'pela', 'isso', 'isto', 'esse', 'essa', 'ja', 'tambem', 'eu', 'ele', 'ela', 'eles', 'elas', 'nossa', 'nosso',
  ],
};

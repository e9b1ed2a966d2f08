/**
 * Theme taxonomies a consultation can start from, in the four interface languages, and the matcher that
 * turns a heading written by a liaison ("Renforcement des capacités", "Roles & responsibilities") into a
 * theme key. Pure data and pure functions.
 */
import { arabicBase, foldText, isArabic, NO_SPACE_SCRIPT, tokenize } from '../tagging/lexicon/normalise';

export type LocalizedText = { en: string; ar: string; fr: string; ja: string };

export interface ThemeDef {
  key: string;
  label: LocalizedText;
  description: LocalizedText;
}

export type PresetName = 'wm2030-working-groups' | 'wm2030-recommendations';

const WORKING_GROUPS: ThemeDef[] = [
  {
    key: 'advocacy',
    label: { en: 'Advocacy', ar: 'المناصرة', fr: 'Plaidoyer', ja: 'アドボカシー' },
    description: {
      en: 'How the movement speaks up for free knowledge in the wider world: public policy and law (copyright, the public domain, freedom of panorama, censorship and blocking, platform regulation), raising public awareness of what the Wikimedia projects are and how they work, and how volunteers and affiliates can organise advocacy locally, regionally and globally.',
      ar: 'كيف تدافع الحركة عن المعرفة الحرة في العالم الأوسع: السياسات العامة والقوانين (حقوق النشر، والملك العام، وحرية البانوراما، والرقابة وحجب المواقع، وتنظيم المنصات)، ونشر الوعي العام بماهية مشاريع ويكيميديا وطريقة عملها، وكيف يمكن للمتطوعين والمنتسبين تنظيم جهود المناصرة على المستوى المحلي والإقليمي والعالمي.',
      fr: "Comment le mouvement défend le savoir libre dans la société : politiques publiques et droit (droit d'auteur, domaine public, liberté de panorama, censure et blocage, régulation des plateformes), sensibilisation du public à ce que sont les projets Wikimedia et à leur fonctionnement, et manière dont bénévoles et affiliés peuvent mener un plaidoyer aux niveaux local, régional et mondial.",
      ja: '自由な知識を社会に向けて擁護する活動。著作権、パブリックドメイン、パノラマの自由、検閲やアクセス遮断、プラットフォーム規制などの公共政策や法制度への働きかけ、ウィキメディアのプロジェクトとその仕組みについての社会的な認知の向上、そしてボランティアや関係団体が地域・国・世界の各レベルでアドボカシーを進める方法を扱う。',
    },
  },
  {
    key: 'capacity-building',
    label: { en: 'Capacity Building', ar: 'بناء القدرات', fr: 'Renforcement des capacités', ja: '能力構築' },
    description: {
      en: 'How individuals, groups and affiliates gain the skills, knowledge and organisational strength to reach their goals: training and workshops, mentoring and peer learning, leadership development, support for organisers, and the structures that help a community grow from a handful of volunteers into a sustainable organisation.',
      ar: 'كيف يكتسب الأفراد والمجموعات والمنتسبون المهارات والمعارف والقدرة التنظيمية اللازمة لتحقيق أهدافهم: التدريب وورش العمل، والإرشاد والتعلم من الأقران، وتنمية القيادات، ودعم المنظمين، والهياكل التي تساعد المجتمع على النمو من بضعة متطوعين إلى منظمة مستدامة.',
      fr: "Comment les personnes, les groupes et les affiliés acquièrent les compétences, les connaissances et la solidité organisationnelle nécessaires pour atteindre leurs objectifs : formations et ateliers, mentorat et apprentissage entre pairs, développement du leadership, accompagnement des organisateurs, et structures qui permettent à une communauté de passer de quelques bénévoles à une organisation durable.",
      ja: '個人やグループ、関係団体が目標を達成するためのスキル、知識、組織力を身につける方法。研修やワークショップ、メンタリングや仲間同士の学び合い、リーダーシップの育成、オーガナイザーへの支援、そして少数のボランティアから持続可能な組織へと成長するための仕組みを扱う。',
    },
  },
  {
    key: 'community-health',
    label: { en: 'Community Health', ar: 'صحة المجتمع', fr: 'Santé communautaire', ja: 'コミュニティの健全性' },
    description: {
      en: 'How Wikimedia spaces, online and offline, stay safe, welcoming and respectful: preventing and handling harassment and toxic behaviour, codes of conduct and their enforcement, conflict resolution, the experience and retention of newcomers, and the wellbeing of volunteers, including stress and burnout.',
      ar: 'كيف تبقى فضاءات ويكيميديا، على الإنترنت وخارجه، آمنة ومرحِّبة ويسودها الاحترام: منع التحرش والسلوك المؤذي والتعامل معهما، ومدونات السلوك وتطبيقها، وحل النزاعات، وتجربة الوافدين الجدد والاحتفاظ بهم، ورفاه المتطوعين بما في ذلك الضغط النفسي والاحتراق.',
      fr: "Comment les espaces Wikimedia, en ligne et hors ligne, restent sûrs, accueillants et respectueux : prévention et traitement du harcèlement et des comportements toxiques, codes de conduite et leur application, résolution des conflits, accueil et fidélisation des nouveaux contributeurs, et bien-être des bénévoles, y compris le stress et l'épuisement.",
      ja: 'オンラインとオフラインのウィキメディアの場を、安全で歓迎的で互いを尊重できる場に保つ方法。ハラスメントや有害な振る舞いの防止と対応、行動規範とその運用、対立の解決、新規参加者の体験と定着、そしてストレスや燃え尽きを含むボランティアの心身の健康を扱う。',
    },
  },
  {
    key: 'diversity',
    label: { en: 'Diversity', ar: 'التنوع', fr: 'Diversité', ja: '多様性' },
    description: {
      en: 'How the movement brings in and empowers people and knowledge that are missing or underrepresented: the gender gap, speakers of minority and indigenous languages, communities in the Global South and emerging communities, people with disabilities, oral and non-textual knowledge, and the social, economic and cultural barriers that keep people from taking part.',
      ar: 'كيف تستقطب الحركة الأشخاص والمعارف الغائبة أو الممثلة تمثيلًا ناقصًا وتمكّنها: الفجوة بين الجنسين، والناطقون باللغات الأقلية ولغات الشعوب الأصلية، ومجتمعات الجنوب العالمي والمجتمعات الناشئة، والأشخاص ذوو الإعاقة، والمعرفة الشفهية وغير المكتوبة، والحواجز الاجتماعية والاقتصادية والثقافية التي تمنع الناس من المشاركة.',
      fr: "Comment le mouvement accueille et donne du pouvoir aux personnes et aux savoirs absents ou sous-représentés : l'écart entre les genres, les locuteurs de langues minoritaires et autochtones, les communautés du Sud global et les communautés émergentes, les personnes en situation de handicap, les savoirs oraux et non textuels, et les obstacles sociaux, économiques et culturels qui empêchent de participer.",
      ja: '欠けている、あるいは十分に代表されていない人々や知識を迎え入れ、力づける方法。ジェンダーギャップ、少数言語や先住民族の言語の話者、グローバルサウスや新興コミュニティ、障害のある人々、口承など文字によらない知識、そして参加を妨げる社会的・経済的・文化的な障壁を扱う。',
    },
  },
  {
    key: 'partnerships',
    label: { en: 'Partnerships', ar: 'الشراكات', fr: 'Partenariats', ja: 'パートナーシップ' },
    description: {
      en: 'How the movement works with organisations outside it to share free knowledge: galleries, libraries, archives and museums (GLAM), universities, schools and education ministries, NGOs and other open-knowledge groups, governments and companies; what makes a partnership fair and lasting, and how partners help reach new contributors and audiences.',
      ar: 'كيف تعمل الحركة مع منظمات من خارجها لنشر المعرفة الحرة: المعارض والمكتبات ودور الأرشيف والمتاحف (GLAM)، والجامعات والمدارس ووزارات التعليم، والمنظمات غير الحكومية وسائر مجموعات المعرفة المفتوحة، والحكومات والشركات؛ وما الذي يجعل الشراكة عادلة ودائمة، وكيف يساعد الشركاء في الوصول إلى مساهمين وجماهير جديدة.',
      fr: "Comment le mouvement travaille avec des organisations extérieures pour partager le savoir libre : galeries, bibliothèques, archives et musées (GLAM), universités, écoles et ministères de l'éducation, ONG et autres acteurs du savoir ouvert, pouvoirs publics et entreprises ; ce qui rend un partenariat équitable et durable, et comment les partenaires aident à toucher de nouveaux contributeurs et publics.",
      ja: '自由な知識を広めるために、ムーブメントが外部の組織とどのように協働するか。美術館・図書館・公文書館・博物館（GLAM）、大学や学校、教育行政、NGOやほかのオープンナレッジ団体、政府や企業との連携を扱い、公平で長続きするパートナーシップの条件や、パートナーを通じて新たな参加者や読者に届く方法を考える。',
    },
  },
  {
    key: 'product-technology',
    label: { en: 'Product & Technology', ar: 'المنتج والتقنية', fr: 'Produit et technologie', ja: 'プロダクトと技術' },
    description: {
      en: 'The software and infrastructure behind the projects and how they should evolve: editing tools and the reading experience, mobile and offline access, slow connections, language support and machine translation, bots, APIs and tools built by volunteers, accessibility and user experience, and who decides what gets built.',
      ar: 'البرمجيات والبنية التحتية التي تقوم عليها المشاريع وكيف ينبغي أن تتطور: أدوات التحرير وتجربة القراءة، والوصول عبر الهواتف ودون اتصال، والاتصالات البطيئة، ودعم اللغات والترجمة الآلية، والبوتات وواجهات البرمجة والأدوات التي يبنيها المتطوعون، وإتاحة الوصول وتجربة المستخدم، ومن يقرر ما الذي يُبنى.',
      fr: "Les logiciels et l'infrastructure des projets et la façon dont ils doivent évoluer : outils d'édition et expérience de lecture, accès mobile et hors ligne, connexions lentes, prise en charge des langues et traduction automatique, robots, API et outils développés par les bénévoles, accessibilité et expérience utilisateur, et qui décide de ce qui est développé.",
      ja: 'プロジェクトを支えるソフトウェアと技術基盤、そしてその発展のあり方。編集ツールと閲覧体験、モバイルやオフラインでのアクセス、低速な回線、言語対応と機械翻訳、ボットやAPI、ボランティアが作るツール、アクセシビリティとユーザー体験、そして何を開発するかを誰が決めるのかを扱う。',
    },
  },
  {
    key: 'resource-allocation',
    label: { en: 'Resource Allocation', ar: 'تخصيص الموارد', fr: 'Allocation des ressources', ja: '資源配分' },
    description: {
      en: 'How money, staff time, equipment and other resources are shared across the movement: who receives grants and on what terms, the fairness and transparency of funding decisions, participatory grantmaking, support for under-resourced communities, and the effort that applying for and reporting on grants demands of volunteers.',
      ar: 'كيف تُوزَّع الأموال ووقت الموظفين والمعدات وسائر الموارد داخل الحركة: من يحصل على المنح وبأي شروط، وعدالة قرارات التمويل وشفافيتها، والمنح التشاركية، ودعم المجتمعات ذات الموارد المحدودة، والجهد الذي يتطلبه التقدم للمنح وكتابة تقاريرها من المتطوعين.',
      fr: "Comment l'argent, le temps des salariés, le matériel et les autres ressources sont répartis dans le mouvement : qui reçoit des subventions et à quelles conditions, l'équité et la transparence des décisions de financement, l'attribution participative des fonds, le soutien aux communautés qui manquent de moyens, et l'effort que les demandes et les rapports de subvention exigent des bénévoles.",
      ja: '資金、職員の時間、機材などのリソースをムーブメントの中でどう分け合うか。誰がどのような条件で助成金を受け取るのか、資金配分の決定の公平性と透明性、参加型の助成、資源の乏しいコミュニティへの支援、そして助成金の申請や報告がボランティアに求める負担を扱う。',
    },
  },
  {
    key: 'revenue-streams',
    label: { en: 'Revenue Streams', ar: 'مصادر الإيرادات', fr: 'Sources de revenus', ja: '収入源' },
    description: {
      en: 'How the movement raises the money it needs and stays independent: online fundraising and donation banners, individual and major donors, grants from foundations, earned income such as paid services for large commercial reusers, local fundraising by affiliates, and which sources of revenue are ethical and compatible with our values.',
      ar: 'كيف تجمع الحركة المال الذي تحتاجه وتحافظ على استقلاليتها: جمع التبرعات عبر الإنترنت ولافتات التبرع، والمتبرعون الأفراد وكبار المانحين، ومنح المؤسسات الخيرية، والدخل المكتسب مثل الخدمات المدفوعة لكبار المستخدمين التجاريين، وجمع التبرعات المحلي من قبل المنتسبين، وأي مصادر الإيرادات أخلاقية ومتوافقة مع قيمنا.',
      fr: "Comment le mouvement collecte l'argent dont il a besoin tout en restant indépendant : collecte de fonds en ligne et bandeaux d'appel aux dons, donateurs individuels et grands donateurs, subventions de fondations, revenus gagnés comme les services payants pour les grands réutilisateurs commerciaux, collecte locale par les affiliés, et quelles sources de revenus sont éthiques et compatibles avec nos valeurs.",
      ja: 'ムーブメントが必要な資金を集めつつ独立性を保つ方法。オンライン募金と寄付バナー、個人や大口の寄付者、財団からの助成、大規模な商用再利用者向けの有料サービスのような事業収入、関係団体による地域での資金調達、そしてどの収入源が倫理的で私たちの価値観に合うのかを扱う。',
    },
  },
  {
    key: 'roles-responsibilities',
    label: { en: 'Roles & Responsibilities', ar: 'الأدوار والمسؤوليات', fr: 'Rôles et responsabilités', ja: '役割と責任' },
    description: {
      en: 'Who does what in the movement and who decides: the respective roles of the Wikimedia Foundation, affiliates, online communities and volunteers; governance and accountability; centralisation versus decentralisation of power; new structures such as regional hubs, a global council and a movement charter; and how decisions are made and communicated.',
      ar: 'من يفعل ماذا في الحركة ومن يقرر: الأدوار المنوطة بكل من مؤسسة ويكيميديا والمنتسبين والمجتمعات على الإنترنت والمتطوعين؛ والحوكمة والمساءلة؛ والمركزية مقابل توزيع السلطة؛ والهياكل الجديدة مثل المراكز الإقليمية والمجلس العالمي وميثاق الحركة؛ وكيف تُتخذ القرارات ويُعلن عنها.',
      fr: 'Qui fait quoi dans le mouvement et qui décide : les rôles respectifs de la Wikimedia Foundation, des affiliés, des communautés en ligne et des bénévoles ; gouvernance et redevabilité ; centralisation ou décentralisation du pouvoir ; nouvelles structures comme les hubs régionaux, un conseil mondial et une charte du mouvement ; et la manière dont les décisions sont prises et communiquées.',
      ja: 'ムーブメントの中で誰が何を担い、誰が決めるのか。ウィキメディア財団、関係団体、オンラインコミュニティ、ボランティアそれぞれの役割、ガバナンスと説明責任、権限の集中と分散、地域ハブやグローバル評議会、ムーブメント憲章といった新しい仕組み、そして意思決定とその伝え方を扱う。',
    },
  },
];

const RECOMMENDATIONS: ThemeDef[] = [
  {
    key: 'sustainability',
    label: {
      en: 'Increase the Sustainability of Our Movement',
      ar: 'زيادة استدامة حركتنا',
      fr: 'Accroître la pérennité de notre mouvement',
      ja: 'ムーブメントの持続可能性を高める',
    },
    description: {
      en: "Secure the movement's long-term future: diversify revenue and raise awareness of the projects, advocate for policies that protect free knowledge, recognise and retain volunteers, and reduce our environmental footprint.",
      ar: 'ضمان مستقبل الحركة على المدى الطويل: تنويع مصادر الإيرادات ونشر الوعي بالمشاريع، والمناصرة من أجل سياسات تحمي المعرفة الحرة، وتقدير المتطوعين والحفاظ عليهم، والحد من أثرنا البيئي.',
      fr: "Assurer l'avenir du mouvement sur le long terme : diversifier les revenus et faire connaître les projets, plaider pour des politiques qui protègent le savoir libre, reconnaître et fidéliser les bénévoles, et réduire notre empreinte environnementale.",
      ja: 'ムーブメントの長期的な将来を確かなものにする。収入源を多様化してプロジェクトの認知を高め、自由な知識を守る政策を働きかけ、ボランティアを評価して定着を図り、環境への負荷を減らす。',
    },
  },
  {
    key: 'user-experience',
    label: { en: 'Improve User Experience', ar: 'تحسين تجربة المستخدم', fr: "Améliorer l'expérience utilisateur", ja: 'ユーザー体験を改善する' },
    description: {
      en: 'Make reading and contributing easy and pleasant for everyone: intuitive interfaces, good mobile and offline access, accessibility for people with disabilities, support for every language and script, and tools that help newcomers take their first steps.',
      ar: 'جعل القراءة والمساهمة سهلتين وممتعتين للجميع: واجهات بديهية، ووصول جيد عبر الهواتف ودون اتصال، وإتاحة الوصول للأشخاص ذوي الإعاقة، ودعم كل اللغات وأنظمة الكتابة، وأدوات تساعد الوافدين الجدد في خطواتهم الأولى.',
      fr: 'Rendre la lecture et la contribution simples et agréables pour tout le monde : interfaces intuitives, bon accès mobile et hors ligne, accessibilité pour les personnes handicapées, prise en charge de toutes les langues et écritures, et outils qui aident les nouveaux à faire leurs premiers pas.',
      ja: '誰にとっても閲覧と参加を簡単で快適なものにする。直感的なインターフェース、モバイルやオフラインでの快適なアクセス、障害のある人へのアクセシビリティ、あらゆる言語と文字への対応、そして新規参加者の最初の一歩を助けるツール。',
    },
  },
  {
    key: 'safety-inclusion',
    label: { en: 'Provide for Safety and Inclusion', ar: 'توفير الأمان والشمول', fr: "Assurer la sécurité et l'inclusion", ja: '安全とインクルージョンを確保する' },
    description: {
      en: 'Protect everyone who takes part: a universal code of conduct with fair enforcement, safe ways to report harassment, protection for volunteers at risk, and spaces where people of every background feel welcome.',
      ar: 'حماية كل من يشارك: مدونة سلوك عالمية تُطبَّق بإنصاف، وطرق آمنة للإبلاغ عن التحرش، وحماية المتطوعين المعرضين للخطر، وفضاءات يشعر فيها الناس من كل الخلفيات بالترحيب.',
      fr: 'Protéger toutes les personnes qui participent : un code de conduite universel appliqué équitablement, des moyens sûrs de signaler le harcèlement, la protection des bénévoles exposés à des risques, et des espaces où chacun, quelle que soit son origine, se sent bienvenu.',
      ja: '参加するすべての人を守る。公正に運用される包括的な行動規範、ハラスメントを安全に報告できる仕組み、危険にさらされるボランティアの保護、そしてあらゆる背景をもつ人が歓迎されていると感じられる場づくり。',
    },
  },
  {
    key: 'equity-decision-making',
    label: {
      en: 'Ensure Equity in Decision-making',
      ar: 'ضمان الإنصاف في صنع القرار',
      fr: "Garantir l'équité dans la prise de décision",
      ja: '意思決定における公平性を確保する',
    },
    description: {
      en: 'Share power fairly: give communities that have been left out a real voice in decisions, set up representative governance such as a global council and a movement charter, and distribute resources equitably.',
      ar: 'تقاسم السلطة بإنصاف: منح المجتمعات المستبعدة صوتًا حقيقيًا في القرارات، وإنشاء حوكمة تمثيلية مثل المجلس العالمي وميثاق الحركة، وتوزيع الموارد بعدالة.',
      fr: 'Partager le pouvoir équitablement : donner une vraie voix dans les décisions aux communautés qui en ont été exclues, mettre en place une gouvernance représentative comme un conseil mondial et une charte du mouvement, et répartir les ressources de manière équitable.',
      ja: '権限を公平に分かち合う。これまで取り残されてきたコミュニティが意思決定で本当の発言権をもてるようにし、グローバル評議会やムーブメント憲章のような代表性のあるガバナンスを整え、資源を公平に配分する。',
    },
  },
  {
    key: 'coordinate-stakeholders',
    label: {
      en: 'Coordinate Across Stakeholders',
      ar: 'التنسيق بين أصحاب المصلحة',
      fr: 'Coordonner les parties prenantes',
      ja: 'ステークホルダー間で連携する',
    },
    description: {
      en: 'Work together rather than in parallel: regional and thematic hubs, better communication between affiliates, communities and the Foundation, less duplicated effort, and lasting collaboration with partners outside the movement.',
      ar: 'العمل معًا بدلًا من العمل بالتوازي: مراكز إقليمية وموضوعية، وتواصل أفضل بين المنتسبين والمجتمعات والمؤسسة، وتقليل تكرار الجهود، وتعاون دائم مع الشركاء من خارج الحركة.',
      fr: "Travailler ensemble plutôt qu'en parallèle : hubs régionaux et thématiques, meilleure communication entre affiliés, communautés et Fondation, moins de doublons, et collaboration durable avec des partenaires extérieurs au mouvement.",
      ja: '並行してではなく共に取り組む。地域別・テーマ別のハブ、関係団体・コミュニティ・財団の間のより良いコミュニケーション、重複する取り組みの削減、そしてムーブメント外のパートナーとの継続的な協働。',
    },
  },
  {
    key: 'skills-leadership',
    label: {
      en: 'Invest in Skill and Leadership Development',
      ar: 'الاستثمار في تنمية المهارات والقيادة',
      fr: 'Investir dans le développement des compétences et du leadership',
      ja: 'スキルとリーダーシップの育成に投資する',
    },
    description: {
      en: 'Help people grow: training and learning resources for editors and organisers, mentoring, leadership development across regions and generations, and recognition of the skills volunteers build.',
      ar: 'مساعدة الناس على النمو: موارد تدريب وتعلم للمحررين والمنظمين، والإرشاد، وتنمية القيادات عبر المناطق والأجيال، والاعتراف بالمهارات التي يكتسبها المتطوعون.',
      fr: "Aider chacun à progresser : formations et ressources d'apprentissage pour les contributeurs et les organisateurs, mentorat, développement du leadership dans toutes les régions et générations, et reconnaissance des compétences acquises par les bénévoles.",
      ja: '人の成長を支える。編集者やオーガナイザーのための研修と学習資源、メンタリング、地域や世代を越えたリーダーシップの育成、そしてボランティアが身につけたスキルの評価。',
    },
  },
  {
    key: 'internal-knowledge',
    label: {
      en: 'Manage Internal Knowledge',
      ar: 'إدارة المعرفة الداخلية',
      fr: 'Gérer les connaissances internes',
      ja: '内部の知識を管理する',
    },
    description: {
      en: 'Keep what the movement learns: documentation of activities and decisions, shared repositories of good practices and lessons learned, institutional memory that survives turnover, and easy ways to find what others have already done.',
      ar: 'الحفاظ على ما تتعلمه الحركة: توثيق الأنشطة والقرارات، ومستودعات مشتركة لأفضل الممارسات والدروس المستفادة، وذاكرة مؤسسية تبقى رغم تغير الأشخاص، وطرق سهلة لمعرفة ما أنجزه الآخرون.',
      fr: "Conserver ce que le mouvement apprend : documentation des activités et des décisions, répertoires partagés de bonnes pratiques et de leçons apprises, mémoire institutionnelle qui survit aux départs, et moyens simples de trouver ce que d'autres ont déjà fait.",
      ja: 'ムーブメントが学んだことを蓄積する。活動や決定の文書化、良い実践や教訓を共有する場、人が入れ替わっても失われない組織の記憶、そして他の人がすでに行ったことを簡単に見つけられる仕組み。',
    },
  },
  {
    key: 'topics-for-impact',
    label: {
      en: 'Identify Topics for Impact',
      ar: 'تحديد المواضيع ذات الأثر',
      fr: 'Identifier des sujets à fort impact',
      ja: 'インパクトのあるトピックを特定する',
    },
    description: {
      en: 'Focus effort where free knowledge matters most: identify content gaps and high-impact topics such as health, climate or local history, support content in underserved languages, and work with experts and partners to fill them.',
      ar: 'تركيز الجهود حيث تكون المعرفة الحرة أكثر أهمية: تحديد فجوات المحتوى والمواضيع عالية الأثر مثل الصحة والمناخ والتاريخ المحلي، ودعم المحتوى باللغات المحرومة، والعمل مع الخبراء والشركاء لسدها.',
      fr: 'Concentrer les efforts là où le savoir libre compte le plus : identifier les lacunes de contenu et les sujets à fort impact comme la santé, le climat ou l’histoire locale, soutenir les contenus dans les langues mal desservies, et travailler avec des experts et des partenaires pour les combler.',
      ja: '自由な知識が最も必要とされる分野に力を注ぐ。健康、気候、地域の歴史などインパクトの大きいトピックやコンテンツの欠落を特定し、十分に扱われていない言語のコンテンツを支援し、専門家やパートナーと協力してそれを埋める。',
    },
  },
  {
    key: 'innovate-free-knowledge',
    label: {
      en: 'Innovate in Free Knowledge',
      ar: 'الابتكار في المعرفة الحرة',
      fr: 'Innover dans le savoir libre',
      ja: '自由な知識のイノベーション',
    },
    description: {
      en: 'Open the projects to new kinds of knowledge and new ways of sharing it: oral and multimedia knowledge, structured data, new formats and platforms, experiments with emerging technology, and a review of policies that block them.',
      ar: 'فتح المشاريع أمام أنواع جديدة من المعرفة وطرق جديدة لمشاركتها: المعرفة الشفهية والوسائط المتعددة، والبيانات المهيكلة، والصيغ والمنصات الجديدة، والتجارب مع التقنيات الناشئة، ومراجعة السياسات التي تعيقها.',
      fr: 'Ouvrir les projets à de nouveaux types de savoirs et à de nouvelles façons de les partager : savoirs oraux et multimédias, données structurées, nouveaux formats et plateformes, expérimentations avec les technologies émergentes, et révision des règles qui les bloquent.',
      ja: '新しい種類の知識と新しい共有の方法にプロジェクトを開く。口承やマルチメディアの知識、構造化データ、新しい形式やプラットフォーム、新興技術を使った実験、そしてそれらを妨げる方針の見直し。',
    },
  },
  {
    key: 'evaluate-iterate-adapt',
    label: {
      en: 'Evaluate, Iterate, and Adapt',
      ar: 'التقييم والتكرار والتكيّف',
      fr: 'Évaluer, itérer et s’adapter',
      ja: '評価し、改善を重ね、適応する',
    },
    description: {
      en: "Learn as we go: measure the impact of activities with shared metrics, evaluate the strategy's implementation regularly, and adjust plans based on evidence and community feedback.",
      ar: 'التعلم أثناء العمل: قياس أثر الأنشطة بمؤشرات مشتركة، وتقييم تنفيذ الاستراتيجية بانتظام، وتعديل الخطط بناءً على الأدلة وملاحظات المجتمع.',
      fr: "Apprendre en avançant : mesurer l'impact des activités avec des indicateurs communs, évaluer régulièrement la mise en œuvre de la stratégie, et ajuster les plans en fonction des données et des retours de la communauté.",
      ja: '進めながら学ぶ。共通の指標で活動のインパクトを測り、戦略の実施状況を定期的に評価し、根拠とコミュニティからのフィードバックに基づいて計画を調整する。',
    },
  },
];

export const PRESETS: Record<PresetName, ThemeDef[]> = {
  'wm2030-working-groups': WORKING_GROUPS,
  'wm2030-recommendations': RECOMMENDATIONS,
};

/**
 * Other names liaisons give the same themes in headings: Spanish, Portuguese and German labels, short
 * forms and common variants. Only used to recognise a heading, never shown.
 */
const PRESET_ALIASES: Record<string, string[]> = {
  advocacy: ['Incidencia', 'Incidencia política', 'Abogacía', 'Advocacia', 'Interessenvertretung', 'Public policy', 'التأييد'],
  'capacity-building': [
    'Fortalecimiento de capacidades',
    'Desarrollo de capacidades',
    'Capacitação',
    'Kapazitätsaufbau',
    'Capacity development',
    'Développement des capacités',
    'キャパシティ・ビルディング',
    '能力開発',
    'تنمية القدرات',
  ],
  'community-health': ['Salud comunitaria', 'Salud de la comunidad', 'Saúde comunitária', 'Gesundheit der Community', 'コミュニティの健康'],
  diversity: ['Diversidad', 'Diversidade', 'Vielfalt', 'Diversität', 'ダイバーシティ'],
  partnerships: ['Alianzas', 'Asociaciones', 'Parcerias', 'Partnerschaften', 'Partenariat', 'شراكات'],
  'product-technology': ['Producto y tecnología', 'Produto e tecnologia', 'Produkt und Technologie', 'Product and tech', 'Technology', '製品と技術', 'المنتج والتكنولوجيا'],
  'resource-allocation': ['Asignación de recursos', 'Alocação de recursos', 'Ressourcenverteilung', 'Répartition des ressources', 'リソース配分'],
  'revenue-streams': ['Fuentes de ingresos', 'Fontes de receita', 'Einnahmequellen', 'Flux de revenus', 'Revenue', '収益源'],
  'roles-responsibilities': ['Roles y responsabilidades', 'Papéis e responsabilidades', 'Rollen und Verantwortlichkeiten', '役割と責任分担'],
  sustainability: ['Sustainability', 'Sostenibilidad', 'Sustentabilidade', 'Nachhaltigkeit', 'Pérennité', 'Durabilité', 'الاستدامة', '持続可能性'],
  'user-experience': ['User experience', 'Experiencia de usuario', 'Experiência do usuário', 'Expérience utilisateur', 'تجربة المستخدم', 'ユーザー体験'],
  'safety-inclusion': ['Safety and inclusion', 'Seguridad e inclusión', 'Segurança e inclusão', 'Sécurité et inclusion', 'الأمان والشمول', '安全とインクルージョン'],
  'equity-decision-making': ['Equity in decision-making', 'Equidad en la toma de decisiones', 'Équité dans la prise de décision', 'الإنصاف في صنع القرار'],
  'coordinate-stakeholders': ['Coordination', 'Coordinación entre actores', 'Coordination entre parties prenantes'],
  'skills-leadership': ['Skills and leadership', 'Skill and leadership development', 'Habilidades y liderazgo', 'Compétences et leadership', 'المهارات والقيادة'],
  'internal-knowledge': ['Internal knowledge', 'Knowledge management', 'Gestión del conocimiento interno', 'Gestion des connaissances', 'إدارة المعرفة'],
  'topics-for-impact': ['Topics for impact', 'Temas de impacto', 'Sujets à fort impact', 'المواضيع ذات الأثر'],
  'innovate-free-knowledge': ['Innovation', 'Innovation in free knowledge', 'Innovar en el conocimiento libre', 'Innovación', 'الابتكار'],
  'evaluate-iterate-adapt': ['Evaluation', 'Evaluate iterate adapt', 'Evaluar, iterar y adaptar', 'Évaluation', 'التقييم'],
};

const PRESET_BY_KEY = new Map<string, ThemeDef>([...WORKING_GROUPS, ...RECOMMENDATIONS].map((t) => [t.key, t]));

/** The preset definition of a theme key, if any: `presetTheme("diversity")?.label.fr` → `"Diversité"`. */
export function presetTheme(key: string): ThemeDef | undefined {
  return PRESET_BY_KEY.get(key);
}

/** Words that join the parts of a label and may be spelled differently ("&", "and", "et", "y", "و"). */
const CONNECTORS = new Set([
  'and', 'et', 'y', 'e', 'und', 'the', 'of', 'for', 'in', 'our', 'de', 'des', 'du', 'la', 'le', 'les', 'l',
  'el', 'los', 'las', 'da', 'do', 'dos', 'das', 'der', 'die', 'den', 'dem', 'a', 'à', 'al', 'en', 'no', 'na',
  'of', 'و', 'في', 'من', 'と', 'の',
]);

/** "1.", "3)", "Theme:", "Recommendation 4 -" and similar lead-ins a heading may carry before the name. */
const LEAD_IN =
  /^(?:(?:theme|thème|tema|thema|テーマ|موضوع|محور|working group|groupe de travail|grupo de trabajo|arbeitsgruppe|recommendation|recommandation|recomendación|recomendação|empfehlung|توصية|提言|推奨)(?=[\s:：.()\-–—0-9٠-٩]|$)\s*)?(?:n[°º]\s*)?[0-9٠-٩]*\s*[.):：\-–—]?\s*/iu;

function canonical(s: string): string {
  const folded = foldText(s.replace(/&/g, ' and ').replace(/[・･]/g, ' '));
  const words: string[] = [];
  for (let w of tokenize(folded)) {
    if (isArabic(w)) {
      w = arabicBase(w);
    } else if (NO_SPACE_SCRIPT.test(w)) {
      // Japanese labels join their parts with と or の, or not at all ("役割と責任", "役割・責任").
      w = w.replace(/[との]/g, '');
    } else if (w.length > 3 && /[a-z]s$/.test(w)) {
      // Singular and plural headings name the same theme ("Partnership", "Roles & Responsibility").
      w = w.slice(0, -1);
    }
    if (!CONNECTORS.has(w)) words.push(w);
  }
  // Compared without spaces so "capacity-building", "capacitybuilding" and "キャパシティ・ビルディング" meet.
  return words.join('');
}

/** Theme names repeat on every call (labels, aliases); their canonical forms are remembered. */
const nameCache = new Map<string, string>();
function canonicalName(name: string): string {
  let c = nameCache.get(name);
  if (c === undefined) {
    c = canonical(name);
    if (nameCache.size > 10_000) nameCache.clear();
    nameCache.set(name, c);
  }
  return c;
}

function hintVariants(hint: string): string[] {
  const out = new Set<string>();
  const trimmed = hint.replace(/[#=*_]+/g, ' ').replace(/\s*[(（[][^)）\]]*[)）\]]\s*$/u, '').trim();
  out.add(trimmed);
  out.add(trimmed.replace(LEAD_IN, ''));
  // "Context: Capacity building" or "Recommendation 6 – Invest in skill…": the name is after the separator.
  for (const part of trimmed.split(/\s*(?:[:：]|\s[-–—]\s)\s*/u)) out.add(part.replace(LEAD_IN, ''));
  return [...out].map(canonical).filter((c) => c.length > 0);
}

function themeNames(theme: { key: string; label: string | LocalizedText }): string[] {
  const names: string[] = [theme.key.replace(/[-_]+/g, ' ')];
  if (typeof theme.label === 'string') names.push(theme.label);
  else names.push(theme.label.en, theme.label.ar, theme.label.fr, theme.label.ja);
  const preset = PRESET_BY_KEY.get(theme.key);
  if (preset) names.push(preset.label.en, preset.label.ar, preset.label.fr, preset.label.ja);
  names.push(...(PRESET_ALIASES[theme.key] ?? []));
  return names;
}

/**
 * Map a heading to the key of the theme it names, comparing labels in every language, preset aliases and
 * the key itself; null when it names none: `matchThemeHint("Renforcement des capacités", PRESETS["wm2030-working-groups"])` → `"capacity-building"`.
 */
export function matchThemeHint(hint: string, themes: readonly { key: string; label: string | LocalizedText }[]): string | null {
  if (typeof hint !== 'string' || hint.trim() === '') return null;
  const variants = new Set(hintVariants(hint));
  if (variants.size === 0) return null;
  for (const theme of themes) {
    for (const name of themeNames(theme)) {
      const c = canonicalName(name);
      if (c.length > 0 && variants.has(c)) return theme.key;
    }
  }
  return null;
}

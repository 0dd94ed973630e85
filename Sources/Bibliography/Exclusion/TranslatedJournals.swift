/// Cover-to-cover English translations of journals first published in another language (mostly
/// Russian, translated by Pleiades and published by Springer). Their records are tagged English,
/// so the language field cannot find them; their ISSNs and titles can. The original-language
/// version may be indexed too, which is why a translation counts as a duplicate publication.
///
/// Curated by hand — extend it per study in `study.yaml` (`bibliography.translations`), and
/// please send additions upstream. DOI prefix 10.1134 (Pleiades) is only a hint: Pleiades also
/// publishes original English papers.
public enum TranslatedJournals {
    public struct Journal: Hashable, Sendable {
        public var title: String
        public var issns: [String]
        public var original: String
    }

    public static let list: [Journal] = [
        Journal(title: "Physics of the Solid State", issns: ["1063-7834", "1090-6460"], original: "Fizika Tverdogo Tela"),
        Journal(title: "Semiconductors", issns: ["1063-7826", "1090-6479"], original: "Fizika i Tekhnika Poluprovodnikov"),
        Journal(title: "Technical Physics", issns: ["1063-7842", "1090-6525"], original: "Zhurnal Tekhnicheskoi Fiziki"),
        Journal(title: "Technical Physics Letters", issns: ["1063-7850", "1090-6533"], original: "Pis'ma v Zhurnal Tekhnicheskoi Fiziki"),
        Journal(title: "Crystallography Reports", issns: ["1063-7745", "1562-689X"], original: "Kristallografiya"),
        Journal(title: "JETP Letters", issns: ["0021-3640", "1090-6487"], original: "Pis'ma v Zhurnal Eksperimental'noi i Teoreticheskoi Fiziki"),
        Journal(title: "Journal of Experimental and Theoretical Physics", issns: ["1063-7761", "1090-6509"], original: "Zhurnal Eksperimental'noi i Teoreticheskoi Fiziki"),
        Journal(title: "Physics of Metals and Metallography", issns: ["0031-918X", "1555-6190"], original: "Fizika Metallov i Metallovedenie"),
        Journal(title: "Inorganic Materials", issns: ["0020-1685", "1608-3172"], original: "Neorganicheskie Materialy"),
        Journal(title: "Russian Journal of Inorganic Chemistry", issns: ["0036-0236", "1531-8613"], original: "Zhurnal Neorganicheskoi Khimii"),
        Journal(title: "Doklady Physics", issns: ["1028-3358", "1562-6903"], original: "Doklady Akademii Nauk"),
        Journal(title: "Bulletin of the Russian Academy of Sciences: Physics", issns: ["1062-8738", "1934-9432"], original: "Izvestiya Rossiiskoi Akademii Nauk, Seriya Fizicheskaya"),
        Journal(title: "Journal of Surface Investigation: X-ray, Synchrotron and Neutron Techniques", issns: ["1027-4510", "1819-7094"], original: "Poverkhnost'"),
        Journal(title: "Russian Metallurgy (Metally)", issns: ["0036-0295", "1555-6255"], original: "Metally"),
        Journal(title: "Colloid Journal", issns: ["1061-933X", "1608-3067"], original: "Kolloidnyi Zhurnal"),
        Journal(title: "Optics and Spectroscopy", issns: ["0030-400X", "1562-6911"], original: "Optika i Spektroskopiya"),
        Journal(title: "Glass Physics and Chemistry", issns: ["1087-6596", "1608-313X"], original: "Fizika i Khimiya Stekla"),
        Journal(title: "Physics-Uspekhi", issns: ["1063-7869", "1468-4780"], original: "Uspekhi Fizicheskikh Nauk"),
        Journal(title: "Protection of Metals and Physical Chemistry of Surfaces", issns: ["2070-2051", "2070-206X"], original: "Fizikokhimiya Poverkhnosti i Zashchita Materialov"),
    ]

    /// The DOI prefix that suggests (never proves) a Pleiades translation.
    public static let hintDOIPrefix = "10.1134/"
}

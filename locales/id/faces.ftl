# The face comparison aid on the review page: a hint from a face model, never a verdict.
console-face-title = Perbandingan wajah
console-face-same = Wajah mirip
console-face-unsure = Wajah belum pasti mirip, periksa
console-face-different = Wajah berbeda, periksa
console-face-none = Wajah tidak ditemukan di salah satu foto, periksa dengan mata
console-face-score = skor { $score }
console-face-card-same = Foto di KTP yang dipegang mirip foto KTP
console-face-card-unsure = Foto di KTP yang dipegang belum pasti sama dengan foto KTP, periksa
console-face-card-different = Foto di KTP yang dipegang berbeda dengan foto KTP, periksa
console-face-ktp = Wajah di KTP
console-face-selfie = Wajah di selfie
console-face-card = Foto di KTP yang dipegang
console-face-hint = Skor dari model komputer, bukan keputusan. Model ini kurang tepat untuk wajah Asia dan orang lanjut usia: tetap periksa dengan mata.

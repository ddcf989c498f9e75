; Script-Fu cases of run_gimp_tests.py. gimp-console-3.0 reads this file from
; standard input (--batch-interpreter=plug-in-script-fu-eval); the harness
; defines nst-weights, nst-style and nst-work before it and appends one
; (run-case "NAME" case-NAME) per case. A case returns #t to pass; a string
; says why it failed.

(define (nst-say . parts)
  (for-each display parts)
  (newline))

(define (run-case name thunk)
  (nst-say "NSTTEST begin " name)
  (let ((outcome (catch "a Script-Fu error was raised" (thunk))))
    (if (eq? outcome #t)
        (nst-say "NSTTEST ok " name)
        (nst-say "NSTTEST not ok " name " # " outcome))))

(define (new-test-image)
  (let* ((image (car (gimp-image-new 48 32 RGB)))
         (layer (car (gimp-layer-new image "Background" 48 32 RGB-IMAGE 100
                                     LAYER-MODE-NORMAL))))
    (gimp-image-insert-layer image layer 0 0)
    (gimp-drawable-fill layer FILL-WHITE)
    (list image layer)))

(define (layer-count image)
  (vector-length (car (gimp-image-get-layers image))))

; The documented batch call: keyword arguments, drawables as a vector.
(define (case-script-fu-call)
  (let* ((made (new-test-image))
         (image (car made))
         (layer (cadr made))
         (result (plug-in-neural-style-transfer
                  #:run-mode RUN-NONINTERACTIVE #:image image #:drawables (vector layer)
                  #:style-file nst-style #:weights-file nst-weights
                  #:iterations 3 #:size 0 #:seed 1))
         (new-layers (car result))
         (outcome
          (cond ((not (= (vector-length new-layers) 1)) "not one layer returned")
                ((not (= (layer-count image) 2)) "the image did not gain exactly one layer")
                ((not (equal? (car (gimp-item-get-name (vector-ref new-layers 0)))
                              "Background (Style Stripes)"))
                 "the new layer's name")
                ((not (= (vector-ref (car (gimp-image-get-layers image)) 0)
                         (vector-ref new-layers 0)))
                 "the new layer is not on top")
                (else #t))))
    (gimp-image-delete image)
    outcome))

; A failing call raises a Script-Fu error that a script can catch; the
; interpreter and GIMP go on.
(define (case-script-fu-error)
  (let* ((made (new-test-image))
         (image (car made))
         (layer (cadr made))
         (failed (catch 'failed
                        (plug-in-neural-style-transfer
                         #:run-mode RUN-NONINTERACTIVE #:image image #:drawables (vector layer)
                         #:weights-file nst-weights)))
         (outcome
          (cond ((not (eq? failed 'failed)) "the call without a style did not fail")
                ((not (= (layer-count image) 1)) "the failed call added a layer")
                (else #t))))
    (gimp-image-delete image)
    outcome))

; Several styles: layers by their IDs, a list of files and their blend
; weights.
(define (case-script-fu-style-lists)
  (let* ((made (new-test-image))
         (image (car made))
         (layer (cadr made))
         (style-made (new-test-image))
         (result (plug-in-neural-style-transfer
                  #:run-mode RUN-NONINTERACTIVE #:image image #:drawables (vector layer)
                  #:style-layer-ids (number->string (cadr style-made))
                  #:style-file-list (list nst-style)
                  #:style-blend-weights "0.7, 0.3" #:weights-file nst-weights
                  #:iterations 3 #:size 0 #:seed 1))
         (new-layers (car result))
         (outcome
          (cond ((not (= (vector-length new-layers) 1)) "not one layer returned")
                ((not (equal? (car (gimp-item-get-name (vector-ref new-layers 0)))
                              "Background (Background + Style Stripes)"))
                 "the new layer's name")
                (else #t))))
    (gimp-image-delete image)
    (gimp-image-delete (car style-made))
    outcome))
